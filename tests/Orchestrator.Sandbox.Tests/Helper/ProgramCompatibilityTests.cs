namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>Everyday tools must keep working under every layer at once.</summary>
[Collection(HelperCollection.Name)]
public sealed class ProgramCompatibilityTests(HelperBinary binary)
{
    private readonly SandboxHelperRunner _helper = new(binary);

    [Theory]
    [InlineData("git", "--version")]
    [InlineData("/usr/bin/python3", "-c", "print('hello')")]
    [InlineData("node", "-e", "console.log(require('os').cpus().length > 0)")]
    [InlineData("sh", "-c", "ls / | sort | head -1 && cat /etc/hostname > /dev/null")]
    public void Program_runs_under_the_full_sandbox(string program, params string[] args)
    {
        using var workspace = new TemporaryDirectory();

        var result = _helper.Run(SandboxHelperRunner.FullSandbox(workspace.Path), [program, .. args]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEqual("", result.StandardOutput);
    }

    [Fact]
    public void Git_can_commit_inside_the_workspace()
    {
        using var workspace = new TemporaryDirectory();
        var script = "git init -q . && echo a > a && git add a && "
                     + "git -c user.name=t -c user.email=t@t commit -qm first && git log --oneline | wc -l";

        var result = _helper.Run(
            [.. SandboxHelperRunner.FullSandbox(workspace.Path), "--chdir", workspace.Path],
            ["sh", "-c", script],
            new Dictionary<string, string> { ["HOME"] = workspace.Path });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("1\n", result.StandardOutput);
    }

    [Fact]
    public void Dotnet_info_runs_under_the_full_sandbox()
    {
        using var workspace = new TemporaryDirectory();

        var result = _helper.Run(
            SandboxHelperRunner.FullSandbox(workspace.Path),
            ["dotnet", "--info"],
            new Dictionary<string, string>
            {
                ["DOTNET_CLI_HOME"] = workspace.Path,
                ["TMPDIR"] = workspace.Path, // the sandbox's private tmp; /tmp itself is read-only here
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(".NET SDK", result.StandardOutput);
    }
}
