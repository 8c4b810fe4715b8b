using System.Runtime.InteropServices;

namespace Orchestrator.SandboxHelper.Native;

/// <summary><c>struct __user_cap_data_struct</c>; version 3 takes two of them (capabilities 0-31 and 32-63).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapabilityData
{
    public uint Effective;
    public uint Permitted;
    public uint Inheritable;
}
