using System.Runtime.InteropServices;

namespace Orchestrator.SandboxHelper.Native;

/// <summary><c>struct __user_cap_header_struct</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapabilityHeader
{
    public uint Version;
    public int Pid;
}
