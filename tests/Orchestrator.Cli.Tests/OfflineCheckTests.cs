using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orchestrator check</c> without a server: the decide-only pipeline judged here, hooks included, nothing recorded.
/// </summary>
public sealed class OfflineCheckTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Hook(string script)
    {
        _cli.Write("project/.orchestrator/hooks/guard.sh", script);
        File.SetUnixFileMode(Path.Combine(_cli.Project, ".orchestrator/hooks/guard.sh"), (UnixFileMode)0b111_101_101);
        _cli.Write("project/.orchestrator/settings.json",
            """{ "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": ".orchestrator/hooks/guard.sh", "name": "guard" } ] } ] } }""");
    }

    [Fact]
    public void A_hook_that_blocks_denies_the_offline_check_with_exit_code_4()
    {
        Hook("#!/bin/sh\ncat > /dev/null\necho 'no listing today' >&2\nexit 2\n");
        var r = _cli.Check("--json", "--command", "ls");
        Assert.True(r.ExitCode == 4, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal("deny", doc.RootElement.GetProperty("decision").GetString());
        Assert.Equal("hook-deny", doc.RootElement.GetProperty("reasonClass").GetString());
        Assert.False(doc.RootElement.GetProperty("recorded").GetBoolean());
    }

    [Fact]
    public void A_hook_that_lets_the_call_pass_leaves_the_policys_verdict()
    {
        Hook("#!/bin/sh\ncat > /dev/null\nexit 0\n");
        var r = _cli.Check("--command", "ls");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("ALLOW", r.Stdout);
    }

    [Fact]
    public void A_check_is_decide_only_so_an_unknown_program_asks()
    {
        var r = _cli.Check("--json", "--command", "some-unknown-tool --flag");
        Assert.True(r.ExitCode == 3, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.False(doc.RootElement.GetProperty("mode").GetProperty("sandboxed").GetBoolean());
    }

    [Fact]
    public void No_record_without_a_server_is_bad_input()
    {
        var r = _cli.Check("--no-record", "--command", "ls");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--no-record", r.Stderr);
    }

    [Fact]
    public void Policy_options_with_a_server_are_refused_naming_the_option()
    {
        // The refusal comes before any request: the server's own policy judges, so the local options cannot apply.
        var r = _cli.Run(["check", "--server", "http://127.0.0.1:9", "--allow", "Bash(ls)", "--command", "ls"]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--allow", r.Stderr);
        Assert.Contains("--offline", r.Stderr);
    }
}
