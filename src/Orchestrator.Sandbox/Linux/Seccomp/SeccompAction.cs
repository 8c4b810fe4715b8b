namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>Return values of a seccomp filter (<c>SECCOMP_RET_*</c>).</summary>
public static class SeccompAction
{
    public const uint KillProcess = 0x80000000;
    public const uint Allow = 0x7fff0000;
    private const uint ErrnoBase = 0x00050000;
    private const uint DataMask = 0x0000ffff;

    public static uint Errno(int errno) => ErrnoBase | ((uint)errno & DataMask);
}
