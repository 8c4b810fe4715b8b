using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Tests.Execution;

public sealed class ExecutionResultsSpecs
{
    [Fact]
    public void Maps_exit_timing_signal_byte_counts_truncation_and_digests()
    {
        var stdout = new CapturedOutput("head"u8.ToArray(), "tail"u8.ToArray(), 1_000, "aa");
        var stderr = ScriptedSandbox.Output("oops");
        var run = new CommandResult(137, false, 9, TimeSpan.FromMilliseconds(1234), stdout, stderr, SandboxLayers.None("test"));

        var result = ExecutionResults.From(run);

        Assert.Equal(137, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal(9, result.Signal);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), result.Duration);
        Assert.Equal(1_000, result.StdoutBytes);
        Assert.Equal(4, result.StderrBytes);
        Assert.True(result.StdoutTruncated);
        Assert.False(result.StderrTruncated);
        Assert.Equal("aa", result.StdoutDigest);
        Assert.Equal(stderr.Sha256, result.StderrDigest);
    }

    [Fact]
    public void Maps_a_timeout()
    {
        var run = new CommandResult(CommandResult.TimeoutExitCode, true, null, TimeSpan.FromSeconds(2), CapturedOutput.Empty, CapturedOutput.Empty, SandboxLayers.None("test"));

        var result = ExecutionResults.From(run);

        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
    }

    [Fact]
    public void Records_the_kept_head_and_tail_bytes_exactly_and_serves_them_as_the_capture_reads()
    {
        var stdout = new CapturedOutput([0x68, 0xff], "end"u8.ToArray(), 100, "x");
        var run = new CommandResult(0, false, null, TimeSpan.Zero, stdout, ScriptedSandbox.Output("oops"), SandboxLayers.None("test"));

        var result = ExecutionResults.From(run);
        var output = CallOutput.From(result)!;

        Assert.Equal([0x68, 0xff], Convert.FromBase64String(result.Output!.Stdout.Head));
        Assert.Equal("end"u8.ToArray(), Convert.FromBase64String(result.Output.Stdout.Tail));
        Assert.Equal(stdout.Text, output.Stdout);
        Assert.True(output.StdoutTruncated);
        Assert.StartsWith("h\uFFFD", output.Stdout);
        Assert.Contains("95 bytes omitted", output.Stdout);
        Assert.EndsWith("end", output.Stdout);
        Assert.Equal("oops", output.Stderr);
        Assert.False(output.StderrTruncated);
    }

    [Fact]
    public void A_result_recorded_before_outputs_were_has_no_output()
    {
        var old = new Core.History.Events.ExecutionResult(0, false, null, TimeSpan.Zero, 3, 0, false, false, "a", "b");

        Assert.Null(CallOutput.From(old));
    }
}
