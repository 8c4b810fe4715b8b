using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;
using Orchestrator.Core.Tests.Lifecycle;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Hooks;

/// <summary>
/// A gateway call carries reserved keys (its tool's definition digest, and the digest it changed from) beside the
/// agent's arguments: hooks see exactly the arguments as <c>tool_input</c> and the digests as named metadata, and a
/// hook's rewrite can neither drop nor forge them.
/// </summary>
public class GatewayCallHookInputTests
{
    private const string Tool = "mcp__github__create_issue";

    private static ToolCall GatewayCall() => new(new CallId("call-1"), Tool,
        ImmutableDictionary<string, string>.Empty.Add("title", "bug").Add(McpTools.DefinitionKey, "sha-now").Add(McpTools.ChangedFromKey, "sha-before"),
        "/work/project", new AgentId("agent-1"), new SessionId("session-1"));

    [Fact]
    public void Hooks_see_the_agents_arguments_as_tool_input_and_the_definition_digests_beside_it()
    {
        using var document = JsonDocument.Parse(HookInput.For(GatewayCall(), HookEvent.PreToolUse, "default").ToJson());
        var root = document.RootElement;

        Assert.Equal(["title"], root.GetProperty("tool_input").EnumerateObject().Select(p => p.Name));
        Assert.Equal("sha-now", root.GetProperty("mcp_definition_digest").GetString());
        Assert.Equal("sha-before", root.GetProperty("mcp_definition_changed_from").GetString());
    }

    [Fact]
    public void A_call_that_is_not_a_gateway_call_has_no_definition_metadata()
    {
        using var document = JsonDocument.Parse(HookInput.For(Bash("ls"), HookEvent.PreToolUse, "default").ToJson());

        Assert.False(document.RootElement.TryGetProperty("mcp_definition_digest", out _));
        Assert.False(document.RootElement.TryGetProperty("mcp_definition_changed_from", out _));
    }

    [Fact]
    public void A_hooks_rewrite_keeps_the_calls_own_reserved_keys_and_drops_forged_ones()
    {
        var json = """{"hooks": {"PreToolUse": [{"matcher": "mcp__github__create_issue", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 5}]}]}}""";
        var hooksObject = (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(json), "s.json")).Find("hooks")!.Value;
        var hooks = HookConfiguration.Parse([hooksObject], "/proj", "/home/u");
        var run = new PipelineRun(new PipelineSettings { Executes = true });
        run.Feed(new CallInput.Submitted(GatewayCall(), CallIntent.Execute, T0));
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.RuleAllow), T0) { Hooks = hooks });
        run.Effect<CallEffect.RunHooks>();

        // The hook saw no reserved keys, so its rewrite has none; a forged digest is replaced by the call's own.
        var rewrite = ImmutableDictionary<string, string>.Empty.Add("title", "bug (triaged)").Add(McpTools.DefinitionKey, "sha-forged");
        run.Feed(new CallInput.HooksAnswered([new HookResult("check", "./check.sh", 0, null, "rewrote", TimeSpan.FromMilliseconds(3), null)], rewrite, T0));

        var judged = run.Effect<CallEffect.EvaluatePolicy>().Call.Input;
        Assert.Equal("bug (triaged)", judged["title"]);
        Assert.Equal("sha-now", judged[McpTools.DefinitionKey]);
        Assert.Equal("sha-before", judged[McpTools.ChangedFromKey]);
    }
}
