using Orchestrator.Actors.Execution;
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
    public void Captured_text_decodes_invalid_utf8_with_replacement_and_marks_truncation()
    {
        var text = CapturedText.From(new CapturedOutput([0x68, 0xff], "end"u8.ToArray(), 100, "x"));

        Assert.True(text.Truncated);
        Assert.Equal(100, text.TotalBytes);
        Assert.StartsWith("h\uFFFD", text.Text);
        Assert.Contains("95 bytes omitted", text.Text);
        Assert.EndsWith("end", text.Text);
    }
}
