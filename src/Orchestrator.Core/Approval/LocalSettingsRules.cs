using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The edit an <c>always</c> grant makes to a workspace's project-local layer (<c>.orchestrator/settings.local.json</c>,
/// DESIGN §3): its allow rule appended to <c>permissions.allow</c> once, every other key and rule kept as it was. Pure:
/// the text in, the text to write out. A file that is not a JSON object (or whose <c>permissions</c> /
/// <c>permissions.allow</c> has another shape) is never rewritten: the edit fails with a message naming why, and the
/// grant keeps covering its calls from the journal.
/// </summary>
public static class LocalSettingsRules
{
    public const string DirectoryName = ".orchestrator";
    public const string FileName = "settings.local.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The project-local settings file of <paramref name="workspace"/>.</summary>
    public static string PathIn(string workspace) => Path.Combine(workspace, DirectoryName, FileName);

    /// <summary>Adds <paramref name="rule"/> to <c>permissions.allow</c> (no change when it is there already).</summary>
    public static LocalSettingsEdit Add(string? existing, string rule) => Edit(existing, rule, add: true);

    /// <summary>Takes <paramref name="rule"/> out of <c>permissions.allow</c> (no change when it is not there).</summary>
    public static LocalSettingsEdit Remove(string? existing, string rule) => Edit(existing, rule, add: false);

    private static LocalSettingsEdit Edit(string? existing, string rule, bool add)
    {
        JsonObject root;
        if (string.IsNullOrWhiteSpace(existing)) root = [];
        else
        {
            JsonNode? parsed;
            try { parsed = JsonNode.Parse(existing); }
            catch (JsonException e) { return LocalSettingsEdit.Failed($"it is not valid JSON ({e.Message})"); }
            if (parsed is not JsonObject obj) return LocalSettingsEdit.Failed("it is not a JSON object");
            root = obj;
        }
        if (root["permissions"] is { } permissionsNode && permissionsNode is not JsonObject)
            return LocalSettingsEdit.Failed("its \"permissions\" is not an object");
        var permissions = root["permissions"] as JsonObject;
        if (permissions?["allow"] is { } allowNode && allowNode is not JsonArray)
            return LocalSettingsEdit.Failed("its \"permissions.allow\" is not an array");
        var allow = permissions?["allow"] as JsonArray;
        var present = allow?.Where(n => n is JsonValue v && v.TryGetValue<string>(out var text) && text == rule).ToList() ?? [];
        if (add)
        {
            if (present.Count > 0) return LocalSettingsEdit.Unchanged;
            if (permissions is null) root["permissions"] = permissions = [];
            if (allow is null) permissions["allow"] = allow = [];
            allow.Add(rule);
        }
        else
        {
            if (present.Count == 0) return LocalSettingsEdit.Unchanged;
            foreach (var node in present) allow!.Remove(node);
        }
        return LocalSettingsEdit.Changed(root.ToJsonString(Indented) + "\n");
    }
}

/// <summary>The outcome of <see cref="LocalSettingsRules"/>: the new text to write, nothing to write, or why the file cannot be edited.</summary>
public sealed record LocalSettingsEdit(string? Text, string? Error)
{
    public static readonly LocalSettingsEdit Unchanged = new(null, null);

    public static LocalSettingsEdit Changed(string text) => new(text, null);

    public static LocalSettingsEdit Failed(string why) => new(null, why);
}
