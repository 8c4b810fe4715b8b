namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary><c>LANDLOCK_ACCESS_FS_*</c> rights; the ABI that introduced each right is noted where it is above 1.</summary>
[Flags]
public enum LandlockFsAccess : ulong
{
    None = 0,
    Execute = 1UL << 0,
    WriteFile = 1UL << 1,
    ReadFile = 1UL << 2,
    ReadDir = 1UL << 3,
    RemoveDir = 1UL << 4,
    RemoveFile = 1UL << 5,
    MakeChar = 1UL << 6,
    MakeDir = 1UL << 7,
    MakeReg = 1UL << 8,
    MakeSock = 1UL << 9,
    MakeFifo = 1UL << 10,
    MakeBlock = 1UL << 11,
    MakeSym = 1UL << 12,
    Refer = 1UL << 13, // ABI 2
    Truncate = 1UL << 14, // ABI 3
    IoctlDev = 1UL << 15, // ABI 5
}
