namespace Orchestrator.Sandbox.Linux.Seccomp;

/// <summary>x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl) for every syscall the filter inspects.</summary>
public static class X86_64Syscalls
{
    public const uint AuditArch = 0xC000003E; // AUDIT_ARCH_X86_64 = EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE
    public const uint X32SyscallBit = 0x40000000;

    public const uint Ioctl = 16;
    public const uint Socket = 41;
    public const uint Socketpair = 53;
    public const uint Clone = 56;
    public const uint Ptrace = 101;
    public const uint PivotRoot = 155;
    public const uint Adjtimex = 159;
    public const uint Acct = 163;
    public const uint Settimeofday = 164;
    public const uint Mount = 165;
    public const uint Umount2 = 166;
    public const uint Swapon = 167;
    public const uint Swapoff = 168;
    public const uint Reboot = 169;
    public const uint Iopl = 172;
    public const uint Ioperm = 173;
    public const uint InitModule = 175;
    public const uint DeleteModule = 176;
    public const uint ClockSettime = 227;
    public const uint KexecLoad = 246;
    public const uint AddKey = 248;
    public const uint RequestKey = 249;
    public const uint Keyctl = 250;
    public const uint Unshare = 272;
    public const uint PerfEventOpen = 298;
    public const uint NameToHandleAt = 303;
    public const uint OpenByHandleAt = 304;
    public const uint ClockAdjtime = 305;
    public const uint Setns = 308;
    public const uint ProcessVmReadv = 310;
    public const uint ProcessVmWritev = 311;
    public const uint FinitModule = 313;
    public const uint KexecFileLoad = 320;
    public const uint Bpf = 321;
    public const uint Userfaultfd = 323;
    public const uint IoUringSetup = 425;
    public const uint IoUringEnter = 426;
    public const uint IoUringRegister = 427;
    public const uint OpenTree = 428;
    public const uint MoveMount = 429;
    public const uint Fsopen = 430;
    public const uint Fsconfig = 431;
    public const uint Fsmount = 432;
    public const uint Fspick = 433;
    public const uint Clone3 = 435;
    public const uint MountSetattr = 442;
    public const uint OpenTreeAttr = 467; // Linux 6.15+

    public static SyscallTable Table { get; } = new(AuditArch, X32SyscallBit, new Dictionary<Syscall, uint>
    {
        [Syscall.Ptrace] = Ptrace,
        [Syscall.ProcessVmReadv] = ProcessVmReadv,
        [Syscall.ProcessVmWritev] = ProcessVmWritev,
        [Syscall.Mount] = Mount,
        [Syscall.Umount2] = Umount2,
        [Syscall.PivotRoot] = PivotRoot,
        [Syscall.MoveMount] = MoveMount,
        [Syscall.OpenTree] = OpenTree,
        [Syscall.OpenTreeAttr] = OpenTreeAttr,
        [Syscall.Fsopen] = Fsopen,
        [Syscall.Fsconfig] = Fsconfig,
        [Syscall.Fsmount] = Fsmount,
        [Syscall.Fspick] = Fspick,
        [Syscall.MountSetattr] = MountSetattr,
        [Syscall.Unshare] = Unshare,
        [Syscall.Setns] = Setns,
        [Syscall.Bpf] = Bpf,
        [Syscall.PerfEventOpen] = PerfEventOpen,
        [Syscall.Keyctl] = Keyctl,
        [Syscall.AddKey] = AddKey,
        [Syscall.RequestKey] = RequestKey,
        [Syscall.IoUringSetup] = IoUringSetup,
        [Syscall.IoUringEnter] = IoUringEnter,
        [Syscall.IoUringRegister] = IoUringRegister,
        [Syscall.KexecLoad] = KexecLoad,
        [Syscall.KexecFileLoad] = KexecFileLoad,
        [Syscall.InitModule] = InitModule,
        [Syscall.FinitModule] = FinitModule,
        [Syscall.DeleteModule] = DeleteModule,
        [Syscall.Userfaultfd] = Userfaultfd,
        [Syscall.OpenByHandleAt] = OpenByHandleAt,
        [Syscall.NameToHandleAt] = NameToHandleAt,
        [Syscall.Acct] = Acct,
        [Syscall.Swapon] = Swapon,
        [Syscall.Swapoff] = Swapoff,
        [Syscall.Reboot] = Reboot,
        [Syscall.Settimeofday] = Settimeofday,
        [Syscall.ClockSettime] = ClockSettime,
        [Syscall.ClockAdjtime] = ClockAdjtime,
        [Syscall.Adjtimex] = Adjtimex,
        [Syscall.Iopl] = Iopl,
        [Syscall.Ioperm] = Ioperm,
        [Syscall.Ioctl] = Ioctl,
        [Syscall.Clone] = Clone,
        [Syscall.Clone3] = Clone3,
        [Syscall.Socket] = Socket,
        [Syscall.Socketpair] = Socketpair,
    });
}
