using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Landlock;

/// <summary>
/// <c>struct landlock_ruleset_attr</c> in its ABI 6 form (24 bytes). Older kernels accept the full size
/// as long as the fields they do not know are zero, so callers leave unsupported fields at zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct LandlockRulesetAttr
{
    public ulong HandledAccessFs;
    public ulong HandledAccessNet;
    public ulong Scoped;
}
