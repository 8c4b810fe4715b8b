using System.Runtime.InteropServices;

namespace Orchestrator.SandboxHelper.Native;

/// <summary><c>struct rlimit</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Rlimit
{
    public ulong Current;
    public ulong Maximum;
}
