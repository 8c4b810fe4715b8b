using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// <c>orchestrator hook codex</c>: Codex's hooks read and answer Claude Code's JSON shapes (its inputs add <c>turn_id</c>
/// and <c>model</c>), so the one adapter answers them — fed Codex-shaped PreToolUse and PermissionRequest inputs; and
/// <c>hook install codex</c> writes the entries into <c>.codex/hooks.json</c> without a matcher, keeping the rest.
/// </summary>
public sealed class CodexHookTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public CodexHookTests() =>
        _setup.WriteSettings("""{ "permissions": { "allow": ["Bash(git status)"], "deny": ["Bash(rm:*)"] }, "orchestrator": { "approvalPolicy": "on-request" } }""");

    public void Dispose() => _setup.Dispose();

    private byte[] CodexInput(string hookEvent, string command) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["session_id"] = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", ["turn_id"] = "turn-7", ["transcript_path"] = "/home/user/.codex/sessions/rollout.jsonl",
        ["cwd"] = _setup.Project, ["hook_event_name"] = hookEvent, ["model"] = "gpt-5-codex", ["permission_mode"] = "default",
        ["tool_name"] = "Bash", ["tool_input"] = new JsonObject { ["command"] = command }, ["tool_use_id"] = "call_8Qn2",
    }.ToJsonString());

    private JsonElement Answer(byte[] stdin)
    {
        var result = CliProcess.RunWithInput(_setup.Project, _setup.CliEnvironment(), stdin,
            ["hook", "codex", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    [Theory]
    [InlineData("git status", "allow")]
    [InlineData("rm -rf build", "deny")]
    public void A_codex_pre_tool_use_input_is_answered_with_the_permission_decision_codex_reads(string command, string decision)
    {
        var specific = Answer(CodexInput("PreToolUse", command)).GetProperty("hookSpecificOutput");

        Assert.Equal(["hookEventName", "permissionDecision", "permissionDecisionReason"], specific.EnumerateObject().Select(p => p.Name));
        Assert.Equal("PreToolUse", specific.GetProperty("hookEventName").GetString());
        Assert.Equal(decision, specific.GetProperty("permissionDecision").GetString());
    }

    [Fact]
    public void A_codex_permission_request_is_answered_with_a_decision_behavior()
    {
        var decision = Answer(CodexInput("PermissionRequest", "rm -rf build")).GetProperty("hookSpecificOutput").GetProperty("decision");

        Assert.Equal("deny", decision.GetProperty("behavior").GetString());
        Assert.Contains("Bash(rm:*)", decision.GetProperty("message").GetString());
    }

    [Fact]
    public void Install_writes_the_hook_into_codex_hooks_json_without_a_matcher_keeping_the_rest_and_only_once()
    {
        var file = Path.Combine(_setup.Project, ".codex", "hooks.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, """{ "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "notify-send done" } ] } ] } }""");

        for (var i = 0; i < 2; i++)
        {
            var result = _setup.Cli("hook", "install", "codex", "--project", _setup.Project, "--data", _setup.Data);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var hooks = JsonNode.Parse(File.ReadAllText(file))!["hooks"]!.AsObject();
        Assert.Equal("notify-send done", (string?)hooks["Stop"]![0]!["hooks"]![0]!["command"]);
        foreach (var hookEvent in new[] { "PreToolUse", "PermissionRequest" })
        {
            var group = Assert.Single(hooks[hookEvent]!.AsArray())!.AsObject();
            Assert.False(group.ContainsKey("matcher"));
            Assert.EndsWith($"hook codex --data {_setup.Data}", (string?)group["hooks"]![0]!["command"]);
        }
    }
}
