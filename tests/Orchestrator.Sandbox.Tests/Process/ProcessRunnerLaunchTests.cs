using System.Collections.Immutable;
using System.Runtime.Versioning;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

public sealed class ProcessRunnerLaunchTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("runner-launch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<ProcessOutcome> RunAsync(LaunchPlan plan) => new ProcessRunner().RunAsync(plan, OutputLimits.Default, Timeout);

    private static string[] Lines(CapturedOutput output) => output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task A_missing_working_directory_is_refused_before_anything_starts()
    {
        var marker = Path.Combine(_directory, "started");
        var plan = GroupLeader.Shell($"touch {marker}") with { WorkingDirectory = Path.Combine(_directory, "missing") };
        var error = await Assert.ThrowsAsync<LaunchException>(() => RunAsync(plan));
        Assert.Contains("does not exist", error.Message);
        Assert.Equal(nameof(LaunchPlan.WorkingDirectory), error.ParamName);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_working_directory_that_is_a_file_is_refused()
    {
        var file = Path.Combine(_directory, "file");
        await File.WriteAllTextAsync(file, "");
        var error = await Assert.ThrowsAsync<LaunchException>(() => RunAsync(GroupLeader.Shell("true") with { WorkingDirectory = file }));
        Assert.Contains("not a directory", error.Message);
    }

    [Fact]
    public async Task A_missing_program_is_refused_with_its_name()
    {
        var plan = GroupLeader.Plan("x") with { FileName = "no-such-program-here" };
        var error = await Assert.ThrowsAsync<LaunchException>(() => RunAsync(plan));
        Assert.Contains("no-such-program-here", error.Message);
        Assert.Contains("PATH", error.Message);
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public async Task A_missing_program_path_is_refused()
    {
        var plan = GroupLeader.Plan("x") with { FileName = "/nonexistent/bin/tool" };
        var error = await Assert.ThrowsAsync<LaunchException>(() => RunAsync(plan));
        Assert.Contains("/nonexistent/bin/tool", error.Message);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_program_is_looked_up_on_the_childs_path_not_ours()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        var tool = Path.Combine(bin, "only-here");
        await File.WriteAllTextAsync(tool, "#!/bin/sh\necho found-it\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var plan = new LaunchPlan("only-here", [], _directory, ImmutableDictionary<string, string>.Empty.Add("PATH", $"{bin}:/usr/bin:/bin"));

        var outcome = await RunAsync(plan);

        Assert.Equal("found-it\n", outcome.Stdout.Text);
    }

    [Fact]
    public async Task The_child_environment_is_exactly_the_plans()
    {
        var environment = ImmutableDictionary<string, string>.Empty.Add("PATH", "/usr/bin:/bin").Add("ONLY", "this");
        var outcome = await RunAsync(new LaunchPlan("env", [], _directory, environment));
        Assert.Equal(["ONLY=this", "PATH=/usr/bin:/bin"], Lines(outcome.Stdout).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_scrubbed_environment_keeps_allowlisted_names_and_drops_secrets()
    {
        var source = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
            ["GITHUB_TOKEN"] = "ghp_leak",
            ["NPM_TOKEN"] = "npm_allowed",
        };
        var environment = new EnvironmentScrubber(["NPM_TOKEN"]).Scrub(source, [new("BUILD_MODE", "ci")]);

        var outcome = await RunAsync(GroupLeader.Plan("/usr/bin/env") with { Environment = environment });

        var lines = Lines(outcome.Stdout);
        Assert.Contains("LANG=C.UTF-8", lines);
        Assert.Contains("NPM_TOKEN=npm_allowed", lines);
        Assert.Contains("BUILD_MODE=ci", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("GITHUB_TOKEN=", StringComparison.Ordinal));
        Assert.DoesNotContain("ghp_leak", outcome.Stdout.Text);
    }

    [Fact]
    public async Task The_child_reads_end_of_file_on_stdin_and_it_is_not_a_terminal()
    {
        var outcome = await RunAsync(GroupLeader.Shell("if [ -t 0 ]; then echo tty; fi; cat; echo \"cat=$?\""));
        Assert.Equal("cat=0\n", outcome.Stdout.Text);
        Assert.Equal(0, outcome.ExitCode);
    }

    [Fact]
    public async Task A_token_cancelled_before_start_starts_nothing()
    {
        var marker = Path.Combine(_directory, "started");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ProcessRunner().RunAsync(GroupLeader.Shell($"touch {marker}"), OutputLimits.Default, Timeout, cancelled.Token));
        Assert.False(File.Exists(marker));
    }
}
