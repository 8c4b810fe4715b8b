namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>
/// The syscall numbers of one architecture. A syscall the architecture lacks is simply absent,
/// and the filter then has nothing to check for it.
/// </summary>
/// <param name="AuditArch">The <c>AUDIT_ARCH_*</c> value the kernel reports in <c>seccomp_data.arch</c>.</param>
/// <param name="AlternateAbiBit">A bit that marks syscalls of a second ABI sharing the arch value (x32 on x86_64); such calls are denied.</param>
public sealed record SyscallTable(uint AuditArch, uint? AlternateAbiBit, IReadOnlyDictionary<Syscall, uint> Numbers)
{
    public bool TryGetNumber(Syscall syscall, out uint number) => Numbers.TryGetValue(syscall, out number);
}
