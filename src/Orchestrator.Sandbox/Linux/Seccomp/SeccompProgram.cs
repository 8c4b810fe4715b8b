using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>A finished filter: the instructions, and their raw bytes as <c>bwrap --seccomp FD</c> and <c>sock_fprog</c> expect.</summary>
public sealed class SeccompProgram
{
    private readonly SockFilter[] _instructions;

    public SeccompProgram(SockFilter[] instructions) => _instructions = instructions;

    public IReadOnlyList<SockFilter> Instructions => _instructions;

    public int Length => _instructions.Length;

    public byte[] ToBytes() => MemoryMarshal.AsBytes(_instructions.AsSpan()).ToArray();
}
