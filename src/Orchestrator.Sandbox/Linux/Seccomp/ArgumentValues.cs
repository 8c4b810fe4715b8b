namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>Argument values the filter compares against (the asm-generic values, shared by x86_64 and aarch64).</summary>
public static class ArgumentValues
{
    public const uint Tiocsti = 0x5412;
    public const uint Tioclinux = 0x541C;
    public const uint AfUnix = 1;

    public const uint CloneNewNs = 0x00020000;
    public const uint CloneNewCgroup = 0x02000000;
    public const uint CloneNewUts = 0x04000000;
    public const uint CloneNewIpc = 0x08000000;
    public const uint CloneNewUser = 0x10000000;
    public const uint CloneNewPid = 0x20000000;
    public const uint CloneNewNet = 0x40000000;

    // CLONE_NEWTIME (0x80) is left out: in clone()'s flags that bit belongs to the exit-signal byte.
    public const uint CloneNamespaceFlags =
        CloneNewNs | CloneNewCgroup | CloneNewUts | CloneNewIpc | CloneNewUser | CloneNewPid | CloneNewNet;
}
