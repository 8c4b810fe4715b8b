namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>The errno values the filter returns; identical on every Linux architecture we target.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOSYS = 38;
    public const int EAFNOSUPPORT = 97;
}
