namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary><c>LANDLOCK_ACCESS_NET_*</c> rights (ABI 4).</summary>
[Flags]
public enum LandlockNetAccess : ulong
{
    None = 0,
    BindTcp = 1UL << 0,
    ConnectTcp = 1UL << 1,
}
