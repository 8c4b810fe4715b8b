using System.Runtime.InteropServices;

namespace Orchestrator.SandboxHelper.Native;

/// <summary><c>struct sock_fprog</c>: instruction count and a pointer to the <c>sock_filter</c> array.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFprog
{
    public ushort Length;
    public byte* Filter;
}
