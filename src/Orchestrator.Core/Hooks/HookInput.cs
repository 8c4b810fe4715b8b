using System.Text;
using System.Text.Json;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// What a hook reads on stdin (or an http hook in its POST body), in Claude Code's shape:
/// <c>{session_id, cwd, hook_event_name, tool_name, tool_input, tool_use_id, permission_mode, agent_id}</c>, plus
/// <c>tool_response</c> for PostToolUse and PostToolUseFailure (with <c>error</c> for the latter).
/// <see cref="ToolInput"/> is the input the agent sent (a gateway call's reserved keys left out, see
/// <see cref="McpTools"/>); a gateway call adds <c>mcp_definition_digest</c> and, when the tool's definition changed
/// since first seen or last approved, <c>mcp_definition_changed_from</c>. <see cref="ToolUseId"/> is the call id.
/// </summary>
public sealed record HookInput(
    string SessionId,
    string Cwd,
    HookEvent HookEventName,
    string ToolName,
    IReadOnlyDictionary<string, string> ToolInput,
    string ToolUseId,
    string PermissionMode)
{
    public string? AgentId { get; init; }

    /// <summary>What the tool returned (PostToolUse, PostToolUseFailure); null before the tool ran.</summary>
    public HookToolResponse? ToolResponse { get; init; }

    /// <summary>A gateway call's definition digest (and the one it changed from): metadata beside the input, never in it.</summary>
    public string? McpDefinitionDigest { get; init; }

    public string? McpDefinitionChangedFrom { get; init; }

    public static HookInput For(ToolCall call, HookEvent hookEvent, string permissionMode) =>
        new(call.Session.Value, call.WorkingDirectory, hookEvent, call.ToolName, McpTools.WithoutReserved(call.Input), call.Id.Value, permissionMode)
        {
            AgentId = call.Agent.Value,
            McpDefinitionDigest = call.InputValue(McpTools.DefinitionKey),
            McpDefinitionChangedFrom = call.InputValue(McpTools.ChangedFromKey),
        };

    /// <summary>The stdin text: one JSON object, keys in the order above, tool_input keys in ordinal order (deterministic).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("session_id", SessionId);
            json.WriteString("cwd", Cwd);
            json.WriteString("hook_event_name", HookEventName.ToString());
            json.WriteString("tool_name", ToolName);
            json.WriteStartObject("tool_input");
            foreach (var (key, value) in ToolInput.OrderBy(p => p.Key, StringComparer.Ordinal))
                json.WriteString(key, value);
            json.WriteEndObject();
            json.WriteString("tool_use_id", ToolUseId);
            json.WriteString("permission_mode", PermissionMode);
            if (AgentId is not null) json.WriteString("agent_id", AgentId);
            if (McpDefinitionDigest is not null) json.WriteString("mcp_definition_digest", McpDefinitionDigest);
            if (McpDefinitionChangedFrom is not null) json.WriteString("mcp_definition_changed_from", McpDefinitionChangedFrom);
            if (ToolResponse is { } response)
            {
                json.WritePropertyName("tool_response");
                response.Write(json);
                if (HookEventName == HookEvent.PostToolUseFailure) json.WriteString("error", response.Error ?? "the tool failed");
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
