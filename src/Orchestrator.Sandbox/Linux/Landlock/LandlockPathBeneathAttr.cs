using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary><c>struct landlock_path_beneath_attr</c>: packed in the kernel header, so 12 bytes, not 16.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct LandlockPathBeneathAttr
{
    public ulong AllowedAccess;
    public int ParentFd;
}
