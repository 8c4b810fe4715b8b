using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>One classic BPF instruction, laid out exactly like the kernel's <c>struct sock_filter</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SockFilter(ushort Code, byte JumpIfTrue, byte JumpIfFalse, uint K)
{
    public const int Size = 8;
}
