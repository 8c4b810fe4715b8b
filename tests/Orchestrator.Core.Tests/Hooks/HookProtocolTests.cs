using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;

namespace Orchestrator.Core.Tests.Hooks;

/// <summary>Claude Code's hook fields, read and written exactly as Claude Code names them; http hooks only from trusted layers.</summary>
public class HookProtocolTests
{
    private static readonly HookDefinition Guard = new("guard", "./guard.sh", TimeSpan.FromSeconds(5), HookFailureMode.Deny, new SourceLocation("s.json", 1, 1));

    private static HookOutcome Parse(string stdout, HookEvent hookEvent = HookEvent.PreToolUse) =>
        HookOutcomeParser.Parse(Guard, new HookProcessResult(0, stdout, "", TimeSpan.FromMilliseconds(3)), hookEvent);

    [Fact]
    public void Additional_context_is_kept_with_the_result()
    {
        var outcome = Parse("""{"hookSpecificOutput": {"hookEventName": "PostToolUse", "additionalContext": "lint found 2 warnings"}}""", HookEvent.PostToolUse);

        Assert.False(outcome.Failed);
        Assert.Null(outcome.Result.Decision);
        Assert.Equal("lint found 2 warnings", outcome.Result.AdditionalContext);
        Assert.Equal("PostToolUse", outcome.Result.Event);
    }

    [Fact]
    public void A_pre_tool_use_result_records_no_event_name_as_before()
    {
        Assert.Null(Parse("{}").Result.Event);
    }

    [Theory]
    [InlineData("""{"continue": false, "stopReason": "maintenance window"}""", "hook 'guard' denied: maintenance window")]
    [InlineData("""{"continue": false}""", "hook 'guard' denied: continue: false")]
    [InlineData("""{"decision": "block", "reason": "tests must pass first"}""", "hook 'guard' denied: tests must pass first")]
    [InlineData("""{"decision": "block", "hookSpecificOutput": {"permissionDecision": "allow"}}""", "hook 'guard' denied")]
    [InlineData("""{"continue": false, "stopReason": "stop", "hookSpecificOutput": {"permissionDecision": "allow", "updatedInput": {"command": "x"}}}""", "hook 'guard' denied: stop")]
    public void Top_level_stop_and_block_deny_whatever_hook_specific_output_says(string json, string reason)
    {
        var outcome = Parse(json);

        Assert.False(outcome.Failed);
        Assert.Equal(Decision.Deny, outcome.Result.Decision);
        Assert.Equal(reason, outcome.Result.Reason);
        Assert.Null(outcome.UpdatedInput);
    }

    [Fact]
    public void The_older_top_level_decision_approve_allows()
    {
        Assert.Equal(Decision.Allow, Parse("""{"decision": "approve", "reason": "fine"}""").Result.Decision);
    }

    [Theory]
    [InlineData("""{"decision": "maybe"}""")]
    [InlineData("""{"continue": "no"}""")]
    [InlineData("""{"hookSpecificOutput": {"additionalContext": 5}}""")]
    [InlineData("""{"hookSpecificOutput": {"decision": {"behavior": "sure"}}}""")]
    [InlineData("""{"hookSpecificOutput": {"decision": "allow"}}""")]
    public void A_field_of_the_wrong_shape_is_a_failure_that_denies(string json)
    {
        var outcome = Parse(json);

        Assert.True(outcome.Failed);
        Assert.Equal(Decision.Deny, outcome.Result.Decision);
    }

    [Theory]
    [InlineData("allow", Decision.Allow, "hook 'guard' allowed: bot approved")]
    [InlineData("deny", Decision.Deny, "hook 'guard' denied: bot approved")]
    public void A_permission_request_answer_is_read_from_decision_behavior_with_its_message(string behavior, Decision expected, string reason)
    {
        var json = """{"hookSpecificOutput": {"hookEventName": "PermissionRequest", "decision": {"behavior": "BEHAVIOR", "message": "bot approved", "updatedInput": {"command": "ls"}}}}""";
        var outcome = Parse(json.Replace("BEHAVIOR", behavior), HookEvent.PermissionRequest);

        Assert.Equal(expected, outcome.Result.Decision);
        Assert.Equal(reason, outcome.Result.Reason);
        Assert.Equal("PermissionRequest", outcome.Result.Event);
        // A deny has nothing to run: an updated input beside it is dropped.
        Assert.Equal(expected == Decision.Allow ? "ls" : null, outcome.UpdatedInput?["command"]);
    }

    [Fact]
    public void Post_tool_use_input_carries_the_tool_response_and_a_failure_its_error()
    {
        var call = new ToolCall(new CallId("c-1"), "Bash", ImmutableDictionary<string, string>.Empty.Add("command", "make"), "/w",
            new AgentId("a-1"), new SessionId("s-1"));
        var response = new HookToolResponse("out", "err", 2, false, null, "exit code 2: err");

        using var document = JsonDocument.Parse((HookInput.For(call, response.Event, "default") with { ToolResponse = response }).ToJson());

        var root = document.RootElement;
        Assert.Equal("PostToolUseFailure", root.GetProperty("hook_event_name").GetString());
        Assert.Equal("a-1", root.GetProperty("agent_id").GetString());
        Assert.Equal("c-1", root.GetProperty("tool_use_id").GetString());
        Assert.Equal("out", root.GetProperty("tool_response").GetProperty("stdout").GetString());
        Assert.Equal(2, root.GetProperty("tool_response").GetProperty("exit_code").GetInt32());
        Assert.Equal("exit code 2: err", root.GetProperty("error").GetString());
    }

    [Fact]
    public void A_finished_run_gives_the_response_from_its_kept_output_and_picks_the_event()
    {
        var output = new RecordedOutput(KeptStream.Of("hi\n"u8, []), KeptStream.Of([], []));
        var ok = new ExecutionResult(0, false, null, TimeSpan.FromSeconds(1), 3, 0, false, false, "d1", "d2", Output: output);
        var failed = ok with { ExitCode = 1 };

        Assert.Equal(HookEvent.PostToolUse, HookToolResponse.From(ok).Event);
        Assert.Equal("hi\n", HookToolResponse.From(ok).Stdout);
        Assert.Equal(HookEvent.PostToolUseFailure, HookToolResponse.From(failed).Event);
        Assert.Equal(HookEvent.PostToolUseFailure, HookToolResponse.From(ok with { TimedOut = true }).Event);
    }

    [Fact]
    public void A_run_killed_at_its_memory_limit_says_so_not_only_the_signal()
    {
        var killed = new ExecutionResult(137, false, 9, TimeSpan.FromSeconds(1), 0, 0, false, false, "d1", "d2", KilledAtMemoryLimit: 256L * 1024 * 1024);

        var response = HookToolResponse.From(killed);

        Assert.Equal(HookEvent.PostToolUseFailure, response.Event);
        Assert.Equal("the run was killed: it reached its memory limit of 256 MiB", response.Error);
        Assert.Equal("the run was killed by signal 9", HookToolResponse.From(killed with { KilledAtMemoryLimit = null }).Error);
        Assert.Equal("the run was killed: it reached its memory limit of 1000000 bytes", HookToolResponse.From(killed with { KilledAtMemoryLimit = 1_000_000 }).Error);
    }

    private static JsonObjectValue HooksOf(string settingsJson) =>
        (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(settingsJson), "s.json")).Find("hooks")!.Value;

    private const string HttpHook = """{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "http", "url": "http://127.0.0.1:9/hook", "headers": {"X-Token": "t"}, "timeout": 2}]}]}}""";

    [Theory]
    [InlineData(SettingsLayer.Managed)]
    [InlineData(SettingsLayer.CommandLine)]
    [InlineData(SettingsLayer.User)]
    public void An_http_hook_is_read_from_a_trusted_layer(SettingsLayer layer)
    {
        var configuration = HookConfiguration.Parse([HooksOf(HttpHook)], "/proj", "/home/u", [layer]);

        Assert.Empty(configuration.Errors);
        var hook = Assert.Single(configuration.For("Bash"));
        Assert.Equal(HookType.Http, hook.Type);
        Assert.Equal("http://127.0.0.1:9/hook", hook.Command);
        Assert.Equal("t", hook.Headers!["X-Token"]);
        Assert.Equal(TimeSpan.FromSeconds(2), hook.Timeout);
    }

    [Theory]
    [InlineData(SettingsLayer.Project)]
    [InlineData(SettingsLayer.ProjectLocal)]
    public void An_http_hook_in_a_workspace_file_is_an_error_so_the_policy_fails_closed(SettingsLayer layer)
    {
        var configuration = HookConfiguration.Parse([HooksOf(HttpHook)], "/proj", "/home/u", [layer]);

        Assert.Empty(configuration.For("Bash"));
        Assert.Contains("an http hook may be defined only in managed, command-line (--settings) or user settings", Assert.Single(configuration.Errors).Message);
    }

    [Fact]
    public void A_workspace_settings_file_with_an_http_hook_fails_the_policy_load()
    {
        var layer = SettingsFileReader.Read(Encoding.UTF8.GetBytes(HttpHook), "/proj/.orchestrator/settings.json", SettingsLayer.Project,
            new Orchestrator.Core.Policy.Rules.RuleContext("/proj/.orchestrator", "/proj", "/home/u"));

        Assert.Contains(layer.Errors, e => e.Message.Contains("an http hook may be defined only"));
    }

    [Theory]
    [InlineData("\"file:///etc/passwd\"")]
    [InlineData("\"http://user:pw@host/x\"")]
    [InlineData("\"/relative\"")]
    [InlineData("5")]
    public void An_http_hook_url_must_be_an_absolute_http_url_without_credentials(string url)
    {
        var json = $$$"""{"hooks": {"PreToolUse": [{"hooks": [{"type": "http", "url": {{{url}}}}]}]}}""";

        var configuration = HookConfiguration.Parse([HooksOf(json)], "/proj", "/home/u", [SettingsLayer.User]);

        Assert.Empty(configuration.Matchers);
        Assert.Contains("hook 'url' must be", Assert.Single(configuration.Errors).Message);
    }
}
