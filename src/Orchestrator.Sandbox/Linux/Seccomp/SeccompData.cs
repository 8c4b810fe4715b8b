namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>Offsets into the kernel's <c>struct seccomp_data</c> the filter loads from (little-endian layout).</summary>
public static class SeccompData
{
    public const uint SyscallNumber = 0;
    public const uint Architecture = 4;
    private const uint FirstArgument = 16;

    /// <summary>Offset of the low 32 bits of syscall argument <paramref name="index"/>.</summary>
    public static uint ArgumentLow(int index) => FirstArgument + (uint)(8 * index);
}
