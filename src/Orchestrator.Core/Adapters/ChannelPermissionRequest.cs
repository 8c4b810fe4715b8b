using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Adapters;

/// <summary>
/// A permission prompt Claude Code relays to a channel server (its "channel permission relay", research preview):
/// the notification <see cref="RequestMethod"/> with <c>{request_id, tool_name, description, input_preview}</c>; the
/// server answers, when it has an answer, with <see cref="VerdictMethod"/> <c>{request_id, behavior: allow|deny}</c>
/// (<see cref="Verdict"/>). Everything here is untrusted input: ids must be Claude Code's five letters, text is bounded,
/// and <c>input_preview</c> is the tool's input only when it is one whole JSON object (Claude Code cuts long previews).
/// </summary>
public sealed record ChannelPermissionRequest(string RequestId, string ToolName, string Description, JsonElement? Input, string? Unreadable)
{
    public const string RequestMethod = "notifications/claude/channel/permission_request";
    public const string VerdictMethod = "notifications/claude/channel/permission";

    /// <summary>The experimental capability a server declares to receive relayed prompts.</summary>
    public const string Capability = "claude/channel/permission";

    public const int MaxDescriptionChars = 2_000;
    public const int MaxPreviewChars = 256 * 1024;

    /// <summary>The request, or the one-line problem that makes it no request at all (nothing is answered then).</summary>
    public static (ChannelPermissionRequest? Request, string? Problem) Parse(JsonElement? parameters)
    {
        if (parameters is not { ValueKind: JsonValueKind.Object } p) return (null, "params must be an object");
        var id = Text(p, "request_id");
        if (id is null || !IsRequestId(id)) return (null, "request_id must be five letters a-z other than l");
        var tool = Text(p, "tool_name");
        if (IdSyntax.Problem("tool_name", tool) is { } badTool) return (null, badTool);
        var description = Text(p, "description") ?? "";
        if (description.Length > MaxDescriptionChars) description = description[..MaxDescriptionChars] + "…";
        var preview = Text(p, "input_preview");
        var (input, unreadable) = ReadPreview(preview);
        return (new ChannelPermissionRequest(id, tool!, description, input, unreadable), null);
    }

    /// <summary>Claude Code's request ids: five letters from a-z without l (so they read unambiguously in a chat).</summary>
    public static bool IsRequestId(string id) => id.Length == 5 && id.All(c => c is >= 'a' and <= 'z' and not 'l');

    public static JsonObject Verdict(string requestId, bool allow) => new()
    {
        ["request_id"] = requestId,
        ["behavior"] = allow ? "allow" : "deny",
    };

    private static (JsonElement? Input, string? Unreadable) ReadPreview(string? preview)
    {
        if (preview is null) return (null, "no input_preview");
        if (preview.Length > MaxPreviewChars) return (null, $"input_preview is {preview.Length} characters, more than {MaxPreviewChars}");
        try
        {
            using var document = JsonDocument.Parse(preview, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, "input_preview is not a JSON object");
        }
        catch (JsonException)
        {
            return (null, "input_preview is not whole JSON (Claude Code cuts long previews)");
        }
    }

    private static string? Text(JsonElement p, string name) =>
        p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
