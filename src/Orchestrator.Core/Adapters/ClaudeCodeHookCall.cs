using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Calls.Input;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Core.Adapters;

/// <summary>
/// The decide-only call a Claude Code hook input stands for. The agent is the adapter's configured agent (an agent
/// token's own); the session is Claude Code's <c>session_id</c>, and a subagent's calls (<c>agent_id</c>) go to their
/// own session <c>SESSION@AGENT_ID</c>, since a session belongs to one agent. The call id comes from
/// <c>tool_use_id</c> and the event, so a hook run twice for one tool use finds the call it recorded the first time.
/// Ids that do not fit <see cref="IdSyntax"/> are replaced by a digest of themselves.
/// </summary>
public static class ClaudeCodeHookCall
{
    public const string DefaultAgent = "claude-code";

    /// <summary>The call, or the schema problem of the tool input (a call the adapter can only deny).</summary>
    public static (ToolCall? Call, string? Problem) From(ClaudeCodeHookInput input, AgentId agent)
    {
        if (IdSyntax.Problem("tool_name", input.ToolName) is { } badTool) return (null, badTool);
        var read = ToolInputReader.Read(input.ToolName, input.ToolInput);
        if (read.Error is not null) return (null, read.Error);
        var session = SessionOf(input);
        var id = input.ToolUseId is { Length: > 0 } use
            ? Id("cc", $"{use}{Suffix(input.Event)}")
            : Guid.NewGuid().ToString("n");
        return (new ToolCall(new CallId(id), input.ToolName, read.Values!, input.Cwd, agent, session), null);
    }

    public static SessionId SessionOf(ClaudeCodeHookInput input) =>
        new(input.AgentId is { } subagent ? Id("cc-session", $"{input.SessionId}@{subagent}") : Id("cc-session", input.SessionId));

    private static string Suffix(HookEvent hookEvent) => hookEvent switch
    {
        HookEvent.PreToolUse => "",
        HookEvent.PermissionRequest => ".permission",
        _ => ".post",
    };

    /// <summary>The text itself when it is a valid id, else PREFIX-digest (stable, so the same input maps to the same id).</summary>
    private static string Id(string prefix, string text) =>
        IdSyntax.IsValid(text) ? text : $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}";
}
