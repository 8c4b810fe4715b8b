using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Adapters;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Adapters;

public class ClaudeCodeHookTests
{
    private static (ClaudeCodeHookInput? Input, string? Problem) Parse(string json) => ClaudeCodeHookInput.Parse(Encoding.UTF8.GetBytes(json));

    private const string Bash = """
        {"session_id":"s-1","transcript_path":"/t.jsonl","cwd":"/proj","permission_mode":"default","hook_event_name":"PreToolUse",
         "tool_name":"Bash","tool_input":{"command":"git status","timeout":120000},"tool_use_id":"toolu_01"}
        """;

    [Fact]
    public void A_pre_tool_use_input_becomes_a_call_in_the_claude_code_session_with_the_tool_use_id()
    {
        var (input, problem) = Parse(Bash);
        Assert.Null(problem);
        Assert.Equal(HookEvent.PreToolUse, input!.Event);
        var (call, invalid) = ClaudeCodeHookCall.From(input, new AgentId("claude-code"));
        Assert.Null(invalid);
        Assert.Equal("toolu_01", call!.Id.Value);
        Assert.Equal("s-1", call.Session.Value);
        Assert.Equal("claude-code", call.Agent.Value);
        Assert.Equal("Bash", call.ToolName);
        Assert.Equal("git status", call.InputValue("command"));
        Assert.Equal("120000", call.InputValue("timeout"));
        Assert.Equal("/proj", call.WorkingDirectory);
    }

    [Fact]
    public void A_subagent_call_goes_to_its_own_session_named_after_the_session_and_agent_id()
    {
        var (input, _) = Parse(Bash.Replace("\"tool_use_id\":\"toolu_01\"", "\"tool_use_id\":\"toolu_01\",\"agent_id\":\"agent-7f3a\""));
        Assert.Equal("agent-7f3a", input!.AgentId);
        var (call, _) = ClaudeCodeHookCall.From(input, new AgentId("claude-code"));
        Assert.Equal("s-1@agent-7f3a", call!.Session.Value);
    }

    [Fact]
    public void Each_event_of_one_tool_use_is_its_own_call_and_the_same_event_maps_to_the_same_call()
    {
        var ids = new[] { "PreToolUse", "PermissionRequest", "PostToolUse" }
            .Select(e => ClaudeCodeHookCall.From(Parse(Bash.Replace("PreToolUse", e)).Input!, new AgentId("a")).Call!.Id.Value)
            .ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(ids[0], ClaudeCodeHookCall.From(Parse(Bash).Input!, new AgentId("a")).Call!.Id.Value);
    }

    [Fact]
    public void A_session_id_that_is_not_a_valid_id_is_replaced_by_a_stable_digest()
    {
        var input = Parse(Bash.Replace("\"s-1\"", "\"a session/with spaces\"")).Input!;
        var first = ClaudeCodeHookCall.SessionOf(input).Value;
        Assert.True(IdSyntax.IsValid(first));
        Assert.StartsWith("cc-session-", first);
        Assert.Equal(first, ClaudeCodeHookCall.SessionOf(input).Value);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":{}}""", "no hook_event_name")]
    [InlineData("""{"hook_event_name":"Stop","session_id":"s","cwd":"/p"}""", "'Stop' is not a tool event")]
    [InlineData("""{"hook_event_name":"PreToolUse","cwd":"/p","tool_name":"Bash","tool_input":{"command":"x"}}""", "lacks session_id")]
    [InlineData("""{"hook_event_name":"PreToolUse","session_id":"s","cwd":"/p","tool_name":"Bash","tool_input":"x"}""", "tool_input (an object)")]
    [InlineData("""{"hook_event_name":"PreToolUse","session_id":"s","cwd":"rel","tool_name":"Bash","tool_input":{}}""", "cwd must be an absolute path")]
    public void Malformed_input_is_a_problem_naming_what_is_wrong(string json, string expected)
    {
        var (input, problem) = Parse(json);
        Assert.Null(input);
        Assert.Contains(expected, problem);
    }

    /// <summary>
    /// The hook's own fields are decoded by <see cref="ClaudeCodeHookInput.Parse"/> (the adapter cannot decide: blocked);
    /// <c>tool_input</c> once, by the call's reader (<see cref="ClaudeCodeHookCall.From"/>: denied as invalid input).
    /// </summary>
    [Theory]
    [InlineData("session_id", "s\u00FF1", "ls", "the hook input")]
    [InlineData("command", "s1", "rm -rf / \xC3\x28", "input")]
    [InlineData("session_id escape", "s\\ud8001", "ls", "the hook input")]
    [InlineData("command escape", "s1", "rm -rf / \\udc00", "input")]
    public void Text_that_is_not_valid_unicode_anywhere_in_the_input_is_a_problem_not_a_crash(string where, string session, string command, string reader)
    {
        var text = $$$"""{"hook_event_name":"PreToolUse","session_id":"{{{session}}}","cwd":"/p","tool_name":"Bash","tool_input":{"command":"{{{command}}}"}}""";
        var (input, problem) = ClaudeCodeHookInput.Parse(Encoding.Latin1.GetBytes(text));
        if (input is not null)
        {
            Assert.Null(problem);
            var (call, invalid) = ClaudeCodeHookCall.From(input, new AgentId("a"));
            Assert.Null(call);
            problem = invalid;
        }
        Assert.True(problem == $"{reader} {Orchestrator.Core.Text.JsonText.Problem}", $"{where}: {problem}");
    }

    [Fact]
    public void Fields_the_adapter_reads_past_are_never_decoded_so_their_text_cannot_block_a_call()
    {
        var text = "{\"hook_event_name\":\"PostToolUse\",\"session_id\":\"s1\",\"cwd\":\"/p\",\"tool_name\":\"Bash\"," +
            "\"tool_input\":{\"command\":\"ls\"},\"tool_response\":{\"stdout\":\"\\udc00 \xC3\x28\"}}";
        var (input, problem) = ClaudeCodeHookInput.Parse(Encoding.Latin1.GetBytes(text));
        Assert.Null(problem);
        Assert.Equal("ls", ClaudeCodeHookCall.From(input!, new AgentId("a")).Call!.Input["command"]);
    }

    [Fact]
    public void A_tool_input_that_fails_the_tool_schema_is_a_problem_of_the_call_not_of_the_hook_input()
    {
        var (input, problem) = Parse(Bash.Replace("\"command\":\"git status\"", "\"command\":5"));
        Assert.Null(problem);
        var (call, invalid) = ClaudeCodeHookCall.From(input!, new AgentId("a"));
        Assert.Null(call);
        Assert.Contains("input.command must be a string", invalid);
    }

    [Theory]
    [InlineData(Decision.Allow, "allow")]
    [InlineData(Decision.Deny, "deny")]
    [InlineData(Decision.Ask, "ask")]
    public void Pre_tool_use_answers_with_hook_specific_output_field_by_field(Decision decision, string expected)
    {
        var answer = ClaudeCodeHookAnswer.For(HookEvent.PreToolUse, decision, "why");
        var specific = Assert.IsType<JsonObject>(answer["hookSpecificOutput"]);
        Assert.Single(answer);
        Assert.Equal(3, specific.Count);
        Assert.Equal("PreToolUse", (string?)specific["hookEventName"]);
        Assert.Equal(expected, (string?)specific["permissionDecision"]);
        Assert.Equal("why", (string?)specific["permissionDecisionReason"]);
    }

    [Fact]
    public void Permission_request_answers_allow_or_deny_with_a_message_and_leaves_an_ask_to_claude_codes_dialog()
    {
        var allow = ClaudeCodeHookAnswer.For(HookEvent.PermissionRequest, Decision.Allow, "ok");
        Assert.Equal("""{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}""", allow.ToJsonString());
        var deny = ClaudeCodeHookAnswer.For(HookEvent.PermissionRequest, Decision.Deny, "no");
        Assert.Equal("""{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"deny","message":"no"}}}""", deny.ToJsonString());
        Assert.Equal("{}", ClaudeCodeHookAnswer.For(HookEvent.PermissionRequest, Decision.Ask, "?").ToJsonString());
    }

    [Fact]
    public void Post_tool_use_blocks_with_the_reason_only_when_the_policy_denies()
    {
        Assert.Equal("""{"decision":"block","reason":"no"}""", ClaudeCodeHookAnswer.For(HookEvent.PostToolUse, Decision.Deny, "no").ToJsonString());
        Assert.Equal("{}", ClaudeCodeHookAnswer.For(HookEvent.PostToolUse, Decision.Allow, "ok").ToJsonString());
        Assert.Equal("{}", ClaudeCodeHookAnswer.For(HookEvent.PostToolUse, Decision.Ask, "?").ToJsonString());
    }

    [Fact]
    public void Install_adds_both_events_and_keeps_every_other_key_and_hook()
    {
        const string existing = """
            {"permissions":{"allow":["Bash(ls)"]},"model":"opus",
             "hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"audit.sh"}]}],"Stop":[{"hooks":[{"type":"command","command":"x"}]}]}}
            """;
        var (text, changed, problem) = ClaudeCodeHookSettings.Install(existing, "/bin/orchestrator hook claude-code");
        Assert.Null(problem);
        Assert.True(changed);
        var root = JsonNode.Parse(text!)!.AsObject();
        Assert.Equal("Bash(ls)", (string?)root["permissions"]!["allow"]![0]);
        Assert.Equal("opus", (string?)root["model"]);
        Assert.Equal("x", (string?)root["hooks"]!["Stop"]![0]!["hooks"]![0]!["command"]);
        var pre = root["hooks"]!["PreToolUse"]!.AsArray();
        Assert.Equal(2, pre.Count);
        Assert.Equal("audit.sh", (string?)pre[0]!["hooks"]![0]!["command"]);
        Assert.Equal("*", (string?)pre[1]!["matcher"]);
        Assert.Equal("command", (string?)pre[1]!["hooks"]![0]!["type"]);
        Assert.Equal("/bin/orchestrator hook claude-code", (string?)pre[1]!["hooks"]![0]!["command"]);
        Assert.Single(root["hooks"]!["PermissionRequest"]!.AsArray());
        Assert.Equal(["permissions", "model", "hooks"], root.Select(p => p.Key));
    }

    [Fact]
    public void Installing_twice_changes_nothing_the_second_time()
    {
        var (first, _, _) = ClaudeCodeHookSettings.Install(null, "orchestrator hook claude-code");
        var (second, changed, problem) = ClaudeCodeHookSettings.Install(first, "orchestrator hook claude-code");
        Assert.Null(problem);
        Assert.False(changed);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"hooks\": []}", "\"hooks\" is not an object")]
    [InlineData("{\"hooks\": {\"PreToolUse\": {}}}", "\"hooks.PreToolUse\" is not an array")]
    [InlineData("{ // comment\n}", "not plain JSON")]
    public void A_settings_file_of_an_unexpected_shape_is_refused_and_not_rewritten(string existing, string expected)
    {
        var (text, changed, problem) = ClaudeCodeHookSettings.Install(existing, "o");
        Assert.Null(text);
        Assert.False(changed);
        Assert.Contains(expected, problem);
    }
}
