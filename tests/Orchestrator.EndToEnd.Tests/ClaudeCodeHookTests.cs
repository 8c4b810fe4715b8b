using System.Text;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// <c>orchestrator hook claude-code</c> as Claude Code runs it: the real executable fed Claude Code hook inputs (one per
/// tool and event, <c>ClaudeCode/*.json</c>), answering with exactly the JSON Claude Code reads (exit 0), deciding in a
/// pipeline hosted in the hook or through a running server, recording each call decide-only in the Claude Code session
/// (a subagent's in its own); exit 2 with the reason on stderr when it cannot decide.
/// </summary>
public sealed class ClaudeCodeHookTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public ClaudeCodeHookTests()
    {
        _setup.WriteSettings("""
            { "permissions": {
                "allow": ["Bash(git status)", "Bash(ls:*)", "Read", "Glob", "Grep", "Edit(src/**)", "Write(src/**)"],
                "deny": ["Bash(rm:*)", "Read(./.env)"],
                "ask": ["WebFetch", "mcp__github__create_issue"] },
              "orchestrator": { "approvalPolicy": "on-request" } }
            """);
        Directory.CreateDirectory(Path.Combine(_setup.Project, "src"));
        File.WriteAllText(Path.Combine(_setup.Project, "src", "app.txt"), "a");
    }

    public void Dispose() => _setup.Dispose();

    /// <summary>Each recorded input, the event it is, and the decision the settings above give it.</summary>
    public static TheoryData<string, string> Inputs => new()
    {
        { "pre-bash", "allow" }, { "pre-bash-deny", "deny" }, { "pre-read", "allow" }, { "pre-read-env", "deny" },
        { "pre-write", "allow" }, { "pre-edit", "allow" }, { "pre-glob", "allow" }, { "pre-grep", "allow" },
        { "pre-webfetch", "ask" }, { "pre-mcp", "ask" }, { "pre-subagent", "allow" },
    };

    private byte[] Input(string name) =>
        Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ClaudeCode", name + ".json")).Replace("PROJECT", _setup.Project));

    private CliProcess.Result Hook(byte[] stdin, params string[] extra) =>
        CliProcess.RunWithInput(_setup.Project, _setup.CliEnvironment(), stdin,
            ["hook", "claude-code", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile, .. extra]);

    private static JsonElement PreToolUseAnswer(CliProcess.Result result, string decision)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var answer = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Single(answer.EnumerateObject());
        var specific = answer.GetProperty("hookSpecificOutput");
        Assert.Equal(["hookEventName", "permissionDecision", "permissionDecisionReason"], specific.EnumerateObject().Select(p => p.Name));
        Assert.Equal("PreToolUse", specific.GetProperty("hookEventName").GetString());
        Assert.Equal(decision, specific.GetProperty("permissionDecision").GetString());
        Assert.StartsWith($"Orchestrator: {decision} — ", specific.GetProperty("permissionDecisionReason").GetString());
        return specific;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Each_pre_tool_use_input_is_answered_with_claude_codes_permission_decision_from_a_pipeline_hosted_in_the_hook(string input, string decision)
    {
        var specific = PreToolUseAnswer(Hook(Input(input)), decision);
        if (input == "pre-bash-deny") Assert.Contains("Bash(rm:*)", specific.GetProperty("permissionDecisionReason").GetString());
    }

    [Fact]
    public async Task Through_a_running_server_every_event_is_answered_and_recorded_decide_only_in_the_claude_code_session()
    {
        // Decided before the server starts (by a pipeline in the hook), found in the same history afterwards.
        PreToolUseAnswer(Hook(Input("pre-subagent")), "allow");
        await using var server = await ServerProcess.StartAsync(_setup);

        foreach (var (input, decision) in Inputs.Select(row => ((string)row[0], (string)row[1])))
            PreToolUseAnswer(Hook(Input(input)), decision);

        var permission = Hook(Input("permission-bash"));
        Assert.True(permission.ExitCode == 0, permission.ToString());
        var decisionObject = JsonDocument.Parse(permission.Stdout).RootElement.GetProperty("hookSpecificOutput");
        Assert.Equal("PermissionRequest", decisionObject.GetProperty("hookEventName").GetString());
        Assert.Equal("deny", decisionObject.GetProperty("decision").GetProperty("behavior").GetString());
        Assert.Contains("Bash(rm:*)", decisionObject.GetProperty("decision").GetProperty("message").GetString());

        var post = Hook(Input("post-bash"));
        Assert.True(post.ExitCode == 0, post.ToString());
        var block = JsonDocument.Parse(post.Stdout).RootElement;
        Assert.Equal("block", block.GetProperty("decision").GetString());
        Assert.Contains("Bash(rm:*)", block.GetProperty("reason").GetString());

        var (status, recorded) = await server.GetAsync("/v1/calls/toolu_01RmRfBuild000000000000");
        Assert.Equal(200, status);
        Assert.Equal("abc123-def4-5678-90ab-cdef12345678", recorded.GetProperty("sessionId").GetString());
        Assert.Equal("claude-code", recorded.GetProperty("agentId").GetString());
        Assert.Equal("decide-only", recorded.GetProperty("intent").GetString());
        Assert.Equal("deny", recorded.GetProperty("decision").GetString());
        var (subStatus, subagent) = await server.GetAsync("/v1/calls/toolu_01SubagentLs0000000000");
        Assert.Equal(200, subStatus);
        Assert.Equal("abc123-def4-5678-90ab-cdef12345678@agent-7f3a", subagent.GetProperty("sessionId").GetString());
    }

    [Fact]
    public void A_server_that_does_not_answer_fails_closed_with_exit_2_and_the_reason_on_stderr()
    {
        var result = Hook(Input("pre-bash"), "--server", "http://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("cannot decide, so the tool is blocked: cannot reach the server at http://127.0.0.1:1", result.Stderr);
    }

    [Theory]
    [InlineData("{not json", "the hook input is not JSON")]
    [InlineData("""{"hook_event_name":"PreToolUse","cwd":"/tmp","tool_name":"Bash","tool_input":{"command":"ls"}}""", "lacks session_id")]
    [InlineData("""{"hook_event_name":"UserPromptSubmit","session_id":"s","cwd":"/tmp","prompt":"hi"}""", "not a tool event")]
    public void Malformed_input_cannot_be_decided_exit_2_with_the_problem_on_stderr(string stdin, string problem)
    {
        var result = Hook(Encoding.UTF8.GetBytes(stdin));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(problem, result.Stderr);
    }

    [Fact]
    public void A_tool_input_of_the_wrong_shape_is_denied_with_the_schema_problem()
    {
        var result = Hook(Encoding.UTF8.GetBytes(
            $$"""{"hook_event_name":"PreToolUse","session_id":"s","cwd":"{{_setup.Project}}","tool_name":"Bash","tool_input":{"command":7},"tool_use_id":"t1"}"""));

        var specific = PreToolUseAnswer(result, "deny");
        Assert.Contains("input.command must be a string", specific.GetProperty("permissionDecisionReason").GetString());
    }

    [Fact]
    public void Install_writes_the_hook_into_claude_settings_keeping_the_rest_and_only_once()
    {
        var settings = Path.Combine(_setup.Project, ".claude", "settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(settings)!);
        File.WriteAllText(settings, """{"permissions":{"deny":["Read(./secrets/**)"]},"env":{"A":"1"}}""");

        var first = _setup.Cli("hook", "install", "claude-code", "--project", _setup.Project, "--data", _setup.Data);
        var second = _setup.Cli("hook", "install", "claude-code", "--project", _setup.Project, "--data", _setup.Data);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("already runs", second.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(settings)).RootElement;
        Assert.Equal("Read(./secrets/**)", root.GetProperty("permissions").GetProperty("deny")[0].GetString());
        Assert.Equal("1", root.GetProperty("env").GetProperty("A").GetString());
        foreach (var hookEvent in new[] { "PreToolUse", "PermissionRequest" })
        {
            var command = Assert.Single(root.GetProperty("hooks").GetProperty(hookEvent).EnumerateArray()).GetProperty("hooks")[0].GetProperty("command").GetString();
            Assert.Equal($"{ServerProcess.Executable} hook claude-code --data {_setup.Data}", command);
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(settings)!, "*.tmp"));
    }
}
