using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Core.Adapters;

/// <summary>
/// Adds the adapter's hook entries to a Claude Code <c>settings.json</c> text, leaving every other key, entry and hook
/// as it was: under <c>hooks.PreToolUse</c> and <c>hooks.PermissionRequest</c> one matcher group
/// <c>{"matcher": "*", "hooks": [{"type": "command", "command": …}]}</c>. An entry already running the same command
/// is kept, not doubled; a file that is not a JSON object (or whose <c>hooks</c> is not one) is refused, never rewritten.
/// Codex's <c>hooks.json</c> has the same shape (same <c>hooks</c> key, events, groups and command entries); there the
/// group has no matcher (<paramref name="matcher"/> null), since Codex reads a matcher as a regular expression and an
/// absent one matches every tool.
/// </summary>
public static class ClaudeCodeHookSettings
{
    public static readonly HookEvent[] Events = [HookEvent.PreToolUse, HookEvent.PermissionRequest];

    /// <summary>The new text and whether anything was added, or the problem that leaves the file alone.</summary>
    public static (string? Text, bool Changed, string? Problem) Install(string? existing, string command, string? matcher = "*")
    {
        JsonObject root;
        if (string.IsNullOrWhiteSpace(existing)) root = [];
        else
        {
            try
            {
                if (JsonNode.Parse(existing) is not JsonObject parsed) return (null, false, "it is not a JSON object");
                root = parsed;
            }
            catch (JsonException e)
            {
                return (null, false, $"it is not plain JSON ({e.Message})");
            }
        }
        if (root["hooks"] is null) root["hooks"] = new JsonObject();
        if (root["hooks"] is not JsonObject hooks) return (null, false, "its \"hooks\" is not an object");
        var changed = false;
        foreach (var hookEvent in Events)
        {
            var name = hookEvent.ToString();
            if (hooks[name] is null) hooks[name] = new JsonArray();
            if (hooks[name] is not JsonArray groups) return (null, false, $"its \"hooks.{name}\" is not an array");
            if (groups.OfType<JsonObject>().Any(g => g["hooks"] is JsonArray list && list.OfType<JsonObject>()
                    .Any(h => h["command"] is JsonValue v && v.TryGetValue<string>(out var c) && c == command)))
                continue;
            var group = new JsonObject();
            if (matcher is not null) group["matcher"] = matcher;
            group["hooks"] = new JsonArray(new JsonObject { ["type"] = "command", ["command"] = command });
            groups.Add(group);
            changed = true;
        }
        return (root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", changed, null);
    }
}
