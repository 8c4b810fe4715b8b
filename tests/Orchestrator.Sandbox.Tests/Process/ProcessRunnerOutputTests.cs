using System.Security.Cryptography;
using System.Text;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

public sealed class ProcessRunnerOutputTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("runner-output-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<ProcessOutcome> RunAsync(LaunchPlan plan, OutputLimits? limits = null) =>
        new ProcessRunner().RunAsync(plan, limits ?? OutputLimits.Default, Timeout);

    private string WriteFile(byte[] content)
    {
        var path = Path.Combine(_directory, "data.bin");
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    public async Task The_exit_code_is_the_programs_own(int code)
    {
        var outcome = await RunAsync(GroupLeader.Shell($"exit {code}"));
        Assert.Equal(code, outcome.ExitCode);
        Assert.False(outcome.TimedOut);
        Assert.Null(outcome.Signal);
        Assert.False(outcome.DrainTimedOut);
    }

    [Fact]
    public async Task Stdout_and_stderr_are_captured_separately()
    {
        var outcome = await RunAsync(GroupLeader.Shell("echo out; echo err >&2; echo out2"));
        Assert.Equal("out\nout2\n", outcome.Stdout.Text);
        Assert.Equal("err\n", outcome.Stderr.Text);
    }

    [Fact]
    public async Task The_pid_is_the_launched_group_leader()
    {
        var outcome = await RunAsync(GroupLeader.Shell("echo $$; cut -d' ' -f5 /proc/$$/stat"));
        var lines = outcome.Stdout.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(outcome.Pid.ToString(), lines[0]);
        Assert.Equal(outcome.Pid.ToString(), lines[1]);
    }

    [Fact]
    public async Task Output_exactly_at_the_limits_is_kept_whole()
    {
        var data = RandomNumberGenerator.GetBytes(3000);
        var outcome = await RunAsync(GroupLeader.Plan("/bin/cat", WriteFile(data)), new OutputLimits(1000, 2000));
        Assert.False(outcome.Stdout.Truncated);
        Assert.Equal(data, outcome.Stdout.Head.Concat(outcome.Stdout.Tail).ToArray());
        Assert.Equal(3000, outcome.Stdout.TotalBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), outcome.Stdout.Sha256);
    }

    [Fact]
    public async Task Output_over_the_limits_keeps_first_and_last_bytes_and_hashes_the_whole_stream()
    {
        var data = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 17);
        var outcome = await RunAsync(GroupLeader.Plan("/bin/cat", WriteFile(data)), new OutputLimits(100_000, 200_000));
        Assert.True(outcome.Stdout.Truncated);
        Assert.Equal(data[..100_000], outcome.Stdout.Head);
        Assert.Equal(data[^200_000..], outcome.Stdout.Tail);
        Assert.Equal(data.LongLength, outcome.Stdout.TotalBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), outcome.Stdout.Sha256);
    }

    [Fact]
    public async Task Binary_output_with_every_byte_value_is_exact()
    {
        var data = Enumerable.Range(0, 4096).Select(i => (byte)(i % 256)).ToArray();
        var outcome = await RunAsync(GroupLeader.Plan("/bin/sh", "-c", "cat \"$1\" >&2", "sh", WriteFile(data)));
        Assert.Equal(data, outcome.Stderr.Head);
        Assert.Equal(0, outcome.Stdout.TotalBytes);
    }

    [Fact]
    public async Task The_working_directory_is_the_plans()
    {
        var plan = GroupLeader.Plan("/bin/pwd") with { WorkingDirectory = _directory };
        var outcome = await RunAsync(plan);
        Assert.Equal(_directory + "\n", outcome.Stdout.Text);
    }

    [Fact]
    public async Task Fifty_concurrent_runs_each_get_their_own_output()
    {
        var runner = new ProcessRunner();
        var runs = Enumerable.Range(0, 50)
            .Select(i => runner.RunAsync(GroupLeader.Shell($"echo run-{i}; echo err-{i} >&2; exit {i % 7}"), OutputLimits.Default, Timeout))
            .ToArray();
        var outcomes = await Task.WhenAll(runs);
        for (var i = 0; i < outcomes.Length; i++)
        {
            Assert.Equal($"run-{i}\n", outcomes[i].Stdout.Text);
            Assert.Equal($"err-{i}\n", outcomes[i].Stderr.Text);
            Assert.Equal(i % 7, outcomes[i].ExitCode);
        }
        Assert.Equal(50, outcomes.Select(o => o.Pid).Distinct().Count());
    }

    [Fact]
    public async Task Text_output_round_trips_as_utf8()
    {
        var outcome = await RunAsync(GroupLeader.Plan("/usr/bin/printf", "%s", "grüße ✓"));
        Assert.Equal("grüße ✓", outcome.Stdout.Text);
        Assert.Equal(Encoding.UTF8.GetByteCount("grüße ✓"), outcome.Stdout.TotalBytes);
    }
}
