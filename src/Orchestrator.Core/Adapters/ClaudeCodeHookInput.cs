using System.Text.Json;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Text;

namespace Orchestrator.Core.Adapters;

/// <summary>
/// What Claude Code writes on a hook command's stdin for a tool event (<c>PreToolUse</c>, <c>PermissionRequest</c>,
/// <c>PostToolUse</c>): <c>session_id</c>, <c>cwd</c>, <c>hook_event_name</c>, <c>tool_name</c>, <c>tool_input</c>,
/// <c>tool_use_id</c>, <c>permission_mode</c>, and <c>agent_id</c> when a subagent makes the call. Other fields
/// (<c>transcript_path</c>, <c>tool_response</c>, <c>permission_suggestions</c>, …) are read past.
/// </summary>
public sealed record ClaudeCodeHookInput(
    HookEvent Event, string SessionId, string Cwd, string ToolName, JsonElement ToolInput,
    string? ToolUseId, string? AgentId, string? PermissionMode)
{
    /// <summary>Longest stdin the adapter reads; a tool input is far smaller, anything longer is not a hook input.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The input, or a one-line problem naming what is missing or wrong (the adapter cannot decide then).</summary>
    public static (ClaudeCodeHookInput? Input, string? Problem) Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) return (null, $"the hook input is {json.Length} bytes, more than {MaxBytes}");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, $"the hook input is not JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object) return (null, "the hook input must be a JSON object");
        // Only the fields read here are decoded (once); tool_input is read once, by ToolInputReader (ClaudeCodeHookCall),
        // and what is read past (tool_response, transcript_path, …) is never decoded.
        try
        {
            return Fields(root);
        }
        catch (InvalidOperationException)
        {
            return (null, $"the hook input {JsonText.Problem}");
        }
    }

    private static (ClaudeCodeHookInput? Input, string? Problem) Fields(JsonElement root)
    {
        var eventName = Text(root, "hook_event_name");
        if (eventName is null) return (null, "the hook input has no hook_event_name");
        if (!Enum.TryParse<HookEvent>(eventName, ignoreCase: false, out var hookEvent) || !Enum.IsDefined(hookEvent))
            return (null, $"hook_event_name '{Shown(eventName)}' is not a tool event this adapter answers (PreToolUse, PermissionRequest, PostToolUse)");
        var (session, cwd, tool) = (Text(root, "session_id"), Text(root, "cwd"), Text(root, "tool_name"));
        var missing = new[] { ("session_id", session), ("cwd", cwd), ("tool_name", tool) }.Where(f => f.Item2 is not { Length: > 0 }).Select(f => f.Item1).ToList();
        if (!root.TryGetProperty("tool_input", out var toolInput) || toolInput.ValueKind != JsonValueKind.Object) missing.Add("tool_input (an object)");
        if (missing.Count > 0) return (null, $"the hook input lacks {string.Join(", ", missing)}");
        if (!Path.IsPathRooted(cwd)) return (null, $"cwd must be an absolute path, not '{Shown(cwd!)}'");
        return (new ClaudeCodeHookInput(hookEvent, session!, cwd!, tool!, toolInput,
            Text(root, "tool_use_id"), Text(root, "agent_id") is { Length: > 0 } agent ? agent : null, Text(root, "permission_mode")), null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shown(string text) => Orchestrator.Core.Text.DisplayText.Escape(text.Length > 80 ? text[..80] + "…" : text);
}
