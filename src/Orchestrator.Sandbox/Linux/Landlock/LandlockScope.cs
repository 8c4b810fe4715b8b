namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary><c>LANDLOCK_SCOPE_*</c> flags (ABI 6): IPC the domain may not reach outside itself.</summary>
[Flags]
public enum LandlockScope : ulong
{
    None = 0,
    AbstractUnixSocket = 1UL << 0,
    Signal = 1UL << 1,
}
