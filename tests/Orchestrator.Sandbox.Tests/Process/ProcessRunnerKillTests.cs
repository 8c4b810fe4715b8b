using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

public sealed class ProcessRunnerKillTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    // How soon "promptly" must be: far short of anything these scripts would do by themselves (sleep 300, a 30 s
    // timeout), so a runner that waited for them fails, yet loose enough for a loaded CI machine, where a killed
    // group's pipes reached EOF a second after the kill (returned 2.5 s after a 1 s timeout).
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static int FirstLineAsPid(CapturedOutput output) => int.Parse(output.Text.Split('\n')[0].Trim());

    [Fact]
    public async Task A_timeout_kills_a_spinner_and_its_children_and_reports_124()
    {
        var timeout = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();

        var outcome = await new ProcessRunner().RunAsync(
            GroupLeader.Shell("sleep 300 & echo $!; while :; do :; done"), new OutputLimits(DrainTimeout: Long), timeout);

        clock.Stop();
        Assert.Equal(ProcessOutcome.TimeoutExitCode, outcome.ExitCode);
        Assert.True(outcome.TimedOut);
        Assert.Equal(Signals.Kill, outcome.Signal);
        // The grandchild holds the pipes: they close well within a long drain timeout only if the whole group was killed.
        Assert.False(outcome.DrainTimedOut);
        Assert.True(clock.Elapsed >= timeout && clock.Elapsed < timeout + Prompt, $"returned after {clock.Elapsed}, process ran {outcome.Duration}");
        Assert.True(await ProcessProbe.IsGoneAsync(outcome.Pid, Prompt), "the spinner survived");
        Assert.True(await ProcessProbe.IsGoneAsync(FirstLineAsPid(outcome.Stdout), Prompt), "the grandchild survived");
    }

    [Theory]
    [InlineData("TERM", 15, 143)]
    [InlineData("KILL", 9, 137)]
    [InlineData("INT", 2, 130)]
    public async Task A_child_killed_by_a_signal_reports_128_plus_the_signal(string name, int signal, int exitCode)
    {
        var outcome = await new ProcessRunner().RunAsync(GroupLeader.Shell($"kill -{name} $$"), OutputLimits.Default, Long);
        Assert.Equal(exitCode, outcome.ExitCode);
        Assert.Equal(signal, outcome.Signal);
        Assert.False(outcome.TimedOut);
    }

    [Fact]
    public async Task A_background_grandchild_holding_the_pipes_is_killed_after_the_drain_timeout()
    {
        var drain = TimeSpan.FromMilliseconds(500);
        var clock = Stopwatch.StartNew();

        var outcome = await new ProcessRunner().RunAsync(
            GroupLeader.Shell("sleep 300 & echo $!; echo hi"), new OutputLimits(DrainTimeout: drain), Long);

        clock.Stop();
        Assert.Equal(0, outcome.ExitCode);
        Assert.True(outcome.DrainTimedOut);
        Assert.False(outcome.TimedOut);
        Assert.EndsWith("\nhi\n", outcome.Stdout.Text);
        Assert.InRange(clock.Elapsed, drain, drain + Prompt);
        Assert.True(await ProcessProbe.IsGoneAsync(FirstLineAsPid(outcome.Stdout), Prompt), "the grandchild survived");
    }

    [Fact]
    public async Task A_grandchild_that_escaped_the_process_group_does_not_hang_the_drain()
    {
        var drain = TimeSpan.FromMilliseconds(500);
        var clock = Stopwatch.StartNew();

        var outcome = await new ProcessRunner().RunAsync(
            GroupLeader.Shell("setsid sleep 300 & echo $!; echo hi"), new OutputLimits(DrainTimeout: drain), Long);

        clock.Stop();
        ProcessProbe.KillQuietly(FirstLineAsPid(outcome.Stdout));
        Assert.True(outcome.DrainTimedOut);
        Assert.EndsWith("\nhi\n", outcome.Stdout.Text);
        Assert.InRange(clock.Elapsed, drain, drain + Prompt);
    }

    [Fact]
    public async Task Output_written_before_the_drain_ends_is_kept_without_waiting_for_the_timeout()
    {
        var clock = Stopwatch.StartNew();
        var outcome = await new ProcessRunner().RunAsync(
            GroupLeader.Shell("(echo late) & echo early"), new OutputLimits(DrainTimeout: Long), Long);
        clock.Stop();
        Assert.False(outcome.DrainTimedOut);
        Assert.Contains("late", outcome.Stdout.Text);
        Assert.Contains("early", outcome.Stdout.Text);
        Assert.True(clock.Elapsed < Prompt, $"returned after {clock.Elapsed}, the drain timeout being {Long}");
    }

    [Fact]
    public async Task Cancellation_kills_the_group_and_reports_137_without_a_timeout()
    {
        var started = Path.Combine(Path.GetTempPath(), $"runner-cancel-{Guid.NewGuid():N}");
        using var cancel = new CancellationTokenSource();
        var run = new ProcessRunner().RunAsync(
            GroupLeader.Shell($"sleep 300 & echo $!; touch {started}; wait"), OutputLimits.Default, Long, cancel.Token);
        Assert.True(await Probe.UntilAsync(() => File.Exists(started), Long), "the script never started");
        File.Delete(started);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();

        var outcome = await run;

        clock.Stop();
        Assert.Equal(ProcessOutcome.CancelledExitCode, outcome.ExitCode);
        Assert.Equal(137, outcome.ExitCode);
        Assert.True(outcome.Cancelled);
        Assert.False(outcome.TimedOut);
        Assert.Equal(Signals.Kill, outcome.Signal);
        Assert.True(clock.Elapsed < Prompt, $"returned {clock.Elapsed} after the cancellation");
        Assert.True(await ProcessProbe.IsGoneAsync(FirstLineAsPid(outcome.Stdout), Prompt), "the grandchild survived");
    }

    [Fact]
    public async Task The_kill_hook_runs_with_the_pid_when_the_runner_kills()
    {
        var killed = new ConcurrentBag<int>();
        var runner = new ProcessRunner(pid =>
        {
            killed.Add(pid);
            return ValueTask.CompletedTask;
        });

        var outcome = await runner.RunAsync(GroupLeader.Plan("/bin/sleep", "300"), OutputLimits.Default, TimeSpan.FromMilliseconds(300));

        Assert.True(outcome.TimedOut);
        Assert.Contains(outcome.Pid, killed);
    }

    [Fact]
    public async Task The_kill_hook_does_not_run_when_the_process_exits_by_itself()
    {
        var killed = new ConcurrentBag<int>();
        var runner = new ProcessRunner(pid =>
        {
            killed.Add(pid);
            return ValueTask.CompletedTask;
        });

        await runner.RunAsync(GroupLeader.Shell("exit 0"), OutputLimits.Default, Long);

        Assert.Empty(killed);
    }

    [Fact]
    public async Task A_failing_kill_hook_is_reported_after_the_process_is_killed()
    {
        var runner = new ProcessRunner(_ => throw new InvalidOperationException("cgroup gone"));
        var started = Path.Combine(Path.GetTempPath(), $"runner-hook-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(
            GroupLeader.Shell($"echo $$ > {started}; exec sleep 300"), OutputLimits.Default, TimeSpan.FromMilliseconds(500)));

        Assert.Equal("cgroup gone", error.Message);
        var pid = int.Parse(File.ReadAllText(started).Trim());
        File.Delete(started);
        Assert.True(await ProcessProbe.IsGoneAsync(pid, Prompt), "the process survived");
    }

    [Fact]
    public async Task Children_inherit_sigpipe_ignored_from_the_runtime_so_the_launcher_must_restore_it()
    {
        // The .NET runtime sets SIGPIPE to SIG_IGN and Process.Start only resets signals that have handlers, so the
        // child starts with SIGPIPE ignored (a writer in `yes | head -1` gets EPIPE instead of dying). Nothing in
        // ProcessStartInfo can change that: the launched helper must reset it before exec, as `env
        // --default-signal` does in GroupLeader.Plan. If this canary fails, .NET started resetting it itself.
        const string script = "yes | head -c 1 >/dev/null; echo ${PIPESTATUS[0]}";
        var inherited = await new ProcessRunner().RunAsync(GroupLeader.PlanInheritingSignals("/bin/bash", "-c", script), OutputLimits.Default, Long);
        var restored = await new ProcessRunner().RunAsync(GroupLeader.Plan("/bin/bash", "-c", script), OutputLimits.Default, Long);

        Assert.Equal("1\n", inherited.Stdout.Text);
        Assert.Equal("141\n", restored.Stdout.Text);
    }
}
