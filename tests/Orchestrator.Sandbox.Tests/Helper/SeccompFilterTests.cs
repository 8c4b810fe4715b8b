using Orchestrator.Sandbox.Linux.Seccomp;

namespace Orchestrator.Sandbox.Tests.Helper;

public sealed class SeccompFilterTests
{
    private const uint X64 = X86_64Syscalls.AuditArch;
    private const uint AuditArchAarch64 = 0xC00000B7;
    private const uint Read = 0;
    private static readonly uint Eperm = SeccompAction.Errno(Errno.EPERM);

    private static SeccompProgram NetworkOff => SeccompFilter.Build(new SeccompOptions(NetworkAllowed: false));
    private static SeccompProgram NetworkOn => SeccompFilter.Build(new SeccompOptions(NetworkAllowed: true));

    [Fact]
    public void Program_checks_the_architecture_first_and_kills_on_a_foreign_one()
    {
        var code = NetworkOff.Instructions;

        Assert.Equal(Bpf.LoadWord(SeccompData.Architecture), code[0]);
        Assert.Equal(Bpf.JumpEqual(X64, 1, 0), code[1]);
        Assert.Equal(Bpf.Returning(SeccompAction.KillProcess), code[2]);
        Assert.Equal(SeccompAction.KillProcess, BpfInterpreter.Run(NetworkOff, AuditArchAarch64, Read));
    }

    [Fact]
    public void Program_ends_by_allowing_everything_else()
    {
        Assert.Equal(Bpf.Returning(SeccompAction.Allow), NetworkOff.Instructions[^1]);
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOff, X64, Read));
    }

    [Fact]
    public void Every_jump_lands_inside_the_program()
    {
        var code = NetworkOff.Instructions;
        for (var pc = 0; pc < code.Count; pc++)
        {
            if ((code[pc].Code & 0x07) == Bpf.Jmp)
            {
                Assert.InRange(pc + 1 + Math.Max(code[pc].JumpIfTrue, code[pc].JumpIfFalse), 0, code.Count - 1);
            }
        }
    }

    [Fact]
    public void X32_syscalls_are_denied()
    {
        Assert.Equal(Eperm, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.X32SyscallBit | Read));
    }

    [Fact]
    public void Every_listed_syscall_gets_eperm()
    {
        foreach (var syscall in SeccompFilter.DeniedSyscalls)
        {
            Assert.True(X86_64Syscalls.Table.TryGetNumber(syscall, out var number));
            Assert.Equal(Eperm, BpfInterpreter.Run(NetworkOn, X64, number));
        }
    }

    [Theory]
    [InlineData(ArgumentValues.Tiocsti)]
    [InlineData(ArgumentValues.Tioclinux)]
    [InlineData(0xFFFFFFFF00000000UL | ArgumentValues.Tiocsti)]
    public void Terminal_injection_ioctls_get_eperm(ulong request)
    {
        Assert.Equal(Eperm, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Ioctl, 0, request));
    }

    [Fact]
    public void Other_ioctls_are_allowed()
    {
        const ulong tcgets = 0x5401;
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Ioctl, 1, tcgets));
    }

    [Theory]
    [InlineData(ArgumentValues.CloneNewUser)]
    [InlineData(ArgumentValues.CloneNewNs)]
    [InlineData(ArgumentValues.CloneNewNet)]
    [InlineData(ArgumentValues.CloneNewPid)]
    public void Clone_into_a_new_namespace_gets_eperm(uint flag)
    {
        const ulong sigchld = 17;
        Assert.Equal(Eperm, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Clone, flag | sigchld));
    }

    [Fact]
    public void Plain_clone_and_thread_creation_are_allowed()
    {
        const ulong fork = 17;
        const ulong thread = 0x3D0F00;
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Clone, fork));
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Clone, thread));
    }

    [Fact]
    public void Clone3_reports_enosys_so_libc_falls_back_to_clone()
    {
        Assert.Equal(SeccompAction.Errno(Errno.ENOSYS), BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Clone3));
    }

    [Theory]
    [InlineData(X86_64Syscalls.Socket)]
    [InlineData(X86_64Syscalls.Socketpair)]
    public void Without_network_only_unix_sockets_can_be_created(uint syscall)
    {
        const ulong afInet = 2, afInet6 = 10, afNetlink = 16;
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOff, X64, syscall, ArgumentValues.AfUnix));
        foreach (var family in new[] { afInet, afInet6, afNetlink })
        {
            Assert.Equal(SeccompAction.Errno(Errno.EAFNOSUPPORT), BpfInterpreter.Run(NetworkOff, X64, syscall, family));
        }
    }

    [Fact]
    public void With_network_every_socket_family_is_allowed()
    {
        const ulong afInet = 2;
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(NetworkOn, X64, X86_64Syscalls.Socket, afInet));
    }

    [Fact]
    public void Bytes_are_the_raw_sock_filter_array()
    {
        var program = NetworkOff;
        var bytes = program.ToBytes();

        Assert.Equal(program.Length * SockFilter.Size, bytes.Length);
        Assert.Equal(new byte[] { 0x20, 0, 0, 0, 4, 0, 0, 0 }, bytes[..8]);
    }

    [Fact]
    public void A_second_architecture_table_produces_its_own_arch_check()
    {
        var table = new SyscallTable(AuditArchAarch64, null, new Dictionary<Syscall, uint> { [Syscall.Ptrace] = 117 });
        var program = SeccompFilter.Build(new SeccompOptions(true), table);

        Assert.Equal(Eperm, BpfInterpreter.Run(program, AuditArchAarch64, 117));
        Assert.Equal(SeccompAction.Allow, BpfInterpreter.Run(program, AuditArchAarch64, 63));
        Assert.Equal(SeccompAction.KillProcess, BpfInterpreter.Run(program, X64, 117));
    }
}
