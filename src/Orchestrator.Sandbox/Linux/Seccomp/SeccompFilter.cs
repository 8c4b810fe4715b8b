namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>
/// Generates our seccomp filter: kill on a foreign architecture, EPERM for the alternate ABI (x32),
/// EPERM for a deny list of syscalls, argument checks for ioctl/clone/socket, ENOSYS for clone3, allow the rest.
/// Every block that loads an argument ends in a return on all paths, because the load replaces the syscall number.
/// </summary>
public static class SeccompFilter
{
    public static readonly IReadOnlyList<Syscall> DeniedSyscalls =
    [
        Syscall.Ptrace, Syscall.ProcessVmReadv, Syscall.ProcessVmWritev,
        Syscall.Mount, Syscall.Umount2, Syscall.PivotRoot, Syscall.MoveMount, Syscall.OpenTree, Syscall.OpenTreeAttr,
        Syscall.Fsopen, Syscall.Fsconfig, Syscall.Fsmount, Syscall.Fspick, Syscall.MountSetattr,
        Syscall.Unshare, Syscall.Setns, Syscall.Bpf, Syscall.PerfEventOpen,
        Syscall.Keyctl, Syscall.AddKey, Syscall.RequestKey,
        Syscall.IoUringSetup, Syscall.IoUringEnter, Syscall.IoUringRegister,
        Syscall.KexecLoad, Syscall.KexecFileLoad, Syscall.InitModule, Syscall.FinitModule, Syscall.DeleteModule,
        Syscall.Userfaultfd, Syscall.OpenByHandleAt, Syscall.NameToHandleAt,
        Syscall.Acct, Syscall.Swapon, Syscall.Swapoff, Syscall.Reboot,
        Syscall.Settimeofday, Syscall.ClockSettime, Syscall.ClockAdjtime, Syscall.Adjtimex,
        Syscall.Iopl, Syscall.Ioperm,
    ];

    public static SeccompProgram Build(SeccompOptions options) => Build(options, X86_64Syscalls.Table);

    public static SeccompProgram Build(SeccompOptions options, SyscallTable table)
    {
        var program = new List<SockFilter>
        {
            Bpf.LoadWord(SeccompData.Architecture),
            Bpf.JumpEqual(table.AuditArch, 1, 0),
            Bpf.Returning(SeccompAction.KillProcess),
            Bpf.LoadWord(SeccompData.SyscallNumber),
        };

        if (table.AlternateAbiBit is { } abiBit)
        {
            program.Add(Bpf.JumpAnySet(abiBit, 0, 1));
            program.Add(Bpf.Returning(SeccompAction.Errno(Errno.EPERM)));
        }

        foreach (var syscall in DeniedSyscalls)
        {
            AddWhen(program, table, syscall, [Bpf.Returning(SeccompAction.Errno(Errno.EPERM))]);
        }

        AddWhen(program, table, Syscall.Clone3, [Bpf.Returning(SeccompAction.Errno(Errno.ENOSYS))]);
        AddWhen(program, table, Syscall.Ioctl, DenyTerminalInjection());
        AddWhen(program, table, Syscall.Clone, DenyNamespaceFlags());

        if (!options.NetworkAllowed)
        {
            AddWhen(program, table, Syscall.Socket, AllowOnlyUnixDomain());
            AddWhen(program, table, Syscall.Socketpair, AllowOnlyUnixDomain());
        }

        program.Add(Bpf.Returning(SeccompAction.Allow));
        return new SeccompProgram([.. program]);
    }

    /// <summary>Appends "if nr == syscall then body" (body must end in returns); nothing when the architecture lacks the syscall.</summary>
    private static void AddWhen(List<SockFilter> program, SyscallTable table, Syscall syscall, SockFilter[] body)
    {
        if (!table.TryGetNumber(syscall, out var number))
        {
            return;
        }

        program.Add(Bpf.JumpEqual(number, 0, checked((byte)body.Length)));
        program.AddRange(body);
    }

    private static SockFilter[] DenyTerminalInjection() =>
    [
        Bpf.LoadWord(SeccompData.ArgumentLow(1)),
        Bpf.JumpEqual(ArgumentValues.Tiocsti, 2, 0),
        Bpf.JumpEqual(ArgumentValues.Tioclinux, 1, 0),
        Bpf.Returning(SeccompAction.Allow),
        Bpf.Returning(SeccompAction.Errno(Errno.EPERM)),
    ];

    private static SockFilter[] DenyNamespaceFlags() =>
    [
        Bpf.LoadWord(SeccompData.ArgumentLow(0)),
        Bpf.JumpAnySet(ArgumentValues.CloneNamespaceFlags, 1, 0),
        Bpf.Returning(SeccompAction.Allow),
        Bpf.Returning(SeccompAction.Errno(Errno.EPERM)),
    ];

    private static SockFilter[] AllowOnlyUnixDomain() =>
    [
        Bpf.LoadWord(SeccompData.ArgumentLow(0)),
        Bpf.JumpEqual(ArgumentValues.AfUnix, 0, 1),
        Bpf.Returning(SeccompAction.Allow),
        Bpf.Returning(SeccompAction.Errno(Errno.EAFNOSUPPORT)),
    ];
}
