namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// A sandboxed command starts with every signal at its default, whatever Orchestrator inherited: an ignored signal
/// survives exec, and a server started by <c>nohup</c> or from a background job ignores SIGHUP or SIGINT/SIGQUIT (the .NET
/// runtime itself ignores SIGPIPE).
/// </summary>
public sealed class SandboxSignalTests
{
    public static TheoryData<SandboxVariant> Variants => new(Enum.GetValues<SandboxVariant>());

    private static readonly string[] IgnoringInterrupts = ["env", "--ignore-signal=HUP,INT,QUIT,PIPE,TERM,USR1"];

    [Theory, MemberData(nameof(Variants))]
    public void A_command_ignores_no_signal_even_when_orchestrator_was_started_ignoring_them(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Run(["--", "/bin/grep", "^SigIgn:", "/proc/self/status"], wrapper: IgnoringInterrupts);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("SigIgn:\t0000000000000000\n", r.Stdout);
    }

    [Theory, MemberData(nameof(Variants))]
    public void An_interrupted_command_ends_with_128_plus_the_signal_when_orchestrator_ignores_interrupts(SandboxVariant variant)
    {
        using var s = SandboxRunner.For(variant);
        var r = s.Run(["--", "/bin/sh", "-c", "kill -INT $$; echo survived"], wrapper: IgnoringInterrupts);

        Assert.True(r.ExitCode == 130, r.ToString());
        Assert.DoesNotContain("survived", r.Stdout);
    }
}
