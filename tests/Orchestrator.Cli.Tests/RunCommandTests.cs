namespace Orchestrator.Cli.Tests;

/// <summary>`orchestrator run`'s own refusals; the sandbox itself is tested end to end in Orchestrator.Sandbox.Tests.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_denied_command_is_never_run_and_exits_125()
    {
        var marker = Path.Combine(_cli.Project, "ran.txt");
        var r = _cli.Run(["run", "--workspace", _cli.Project, "--deny", "Bash(touch:*)", "--", "touch", marker]);
        Assert.True(r.ExitCode == 125, r.ToString());
        Assert.Contains("denied: rule-deny", r.Stderr);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void An_ask_without_approval_is_not_run_when_nobody_can_answer()
    {
        var marker = Path.Combine(_cli.Project, "ran.txt");
        var r = _cli.Run(["run", "--workspace", _cli.Project, "--ask", "Bash(touch:*)", "--", "touch", marker]);
        Assert.True(r.ExitCode == 125, r.ToString());
        Assert.Contains("needs approval", r.Stderr);
        Assert.Contains("--yes", r.Stderr);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Run_without_a_command_is_bad_input()
    {
        var r = _cli.Run(["run", "--workspace", _cli.Project]);
        Assert.True(r.ExitCode == 2, r.ToString());
    }

    [Theory]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "-5")]
    [InlineData("--memory", "10")]
    [InlineData("--max-processes", "0")]
    public void Nonsense_limits_are_bad_input(string option, string value)
    {
        var r = _cli.Run(["run", "--workspace", _cli.Project, option, value, "--", "true"]);
        Assert.True(r.ExitCode == 2, r.ToString());
    }

    [Fact]
    public void Missing_workspace_is_bad_input()
    {
        var r = _cli.Run(["run", "--workspace", Path.Combine(_cli.Root, "nope"), "--", "true"]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("does not exist", r.Stderr);
    }
}
