using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Core.Tests.Hooks;

public class HookInputTests
{
    [Fact]
    public void Stdin_is_claude_codes_snake_case_object_with_the_call_input_and_id()
    {
        var call = new ToolCall(new CallId("call-7"), "Bash",
            ImmutableDictionary<string, string>.Empty.Add("description", "list").Add("command", "ls \"a b\""),
            "/work/proj", new AgentId("agent-1"), new SessionId("sess-1"));

        var json = HookInput.For(call, HookEvent.PreToolUse, "default").ToJson();

        Assert.Equal(
            """{"session_id":"sess-1","cwd":"/work/proj","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls \u0022a b\u0022","description":"list"},"tool_use_id":"call-7","permission_mode":"default","agent_id":"agent-1"}""",
            json);
    }

    [Fact]
    public void Stdin_round_trips_through_a_json_parser()
    {
        var call = new ToolCall(new CallId("c"), "Write",
            ImmutableDictionary<string, string>.Empty.Add("file_path", "/tmp/ü.txt").Add("content", "line1\nline2 <tag>"),
            "/w", new AgentId("a"), new SessionId("s"));

        using var document = System.Text.Json.JsonDocument.Parse(HookInput.For(call, HookEvent.PreToolUse, "acceptEdits").ToJson());

        var input = document.RootElement.GetProperty("tool_input");
        Assert.Equal("/tmp/ü.txt", input.GetProperty("file_path").GetString());
        Assert.Equal("line1\nline2 <tag>", input.GetProperty("content").GetString());
        Assert.Equal("acceptEdits", document.RootElement.GetProperty("permission_mode").GetString());
    }
}
