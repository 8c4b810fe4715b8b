using System.Globalization;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tools;

/// <summary>What a Grep call asks for, in Claude Code's input shape.</summary>
public enum GrepOutputMode
{
    FilesWithMatches,
    Content,
    Count,
}

/// <summary>
/// A Grep call's input, read and checked: <c>pattern</c> (ripgrep syntax), <c>path</c> (absolute, default the working
/// directory), <c>glob</c>, <c>type</c>, <c>output_mode</c> (<c>files_with_matches</c> by default), <c>-i</c>, <c>-n</c>
/// (default true, content only), <c>-A</c>/<c>-B</c>/<c>-C</c> (content only), <c>multiline</c>, <c>head_limit</c>.
/// </summary>
public sealed record GrepRequest(
    string Pattern,
    string Path,
    string? Glob,
    string? Type,
    GrepOutputMode Mode,
    bool IgnoreCase,
    bool LineNumbers,
    int Before,
    int After,
    bool Multiline,
    int? HeadLimit)
{
    public const int MaxContext = 100;

    public static GrepRequest? Read(ToolCall call, out string? error)
    {
        error = null;
        var pattern = call.InputValue(ToolInputKeys.Pattern);
        if (string.IsNullOrEmpty(pattern)) { error = "Grep needs a non-empty 'pattern'"; return null; }
        var path = call.InputValue(ToolInputKeys.Path) is { Length: > 0 } p ? p : call.WorkingDirectory;
        if (!System.IO.Path.IsPathFullyQualified(path)) { error = $"Grep 'path' must be an absolute path, not '{path}'"; return null; }
        if (path.Contains('\0')) { error = "Grep 'path' contains a NUL character"; return null; }
        var mode = call.InputValue("output_mode") switch
        {
            null or "files_with_matches" => GrepOutputMode.FilesWithMatches,
            "content" => GrepOutputMode.Content,
            "count" => GrepOutputMode.Count,
            var other => (GrepOutputMode?)null,
        };
        if (mode is null) { error = $"Grep 'output_mode' must be content, files_with_matches or count, not '{call.InputValue("output_mode")}'"; return null; }
        if (call.InputValue("type") is { } type && !GrepTypes.IsKnown(type))
        { error = $"Grep 'type' '{type}' is not one of: {string.Join(", ", GrepTypes.Names)}"; return null; }
        if (call.InputValue("glob") is { } glob && IgnoreFile.Overrides([glob], out var globError) is null)
        { error = globError; return null; }

        string? problem = null;
        bool? Flag(string key)
        {
            var text = call.InputValue(key);
            if (text is null) return null;
            if (text is "true" or "false") return text == "true";
            problem ??= $"Grep '{key}' must be true or false, not '{text}'";
            return null;
        }
        int? Number(string key, int max)
        {
            var text = call.InputValue(key);
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max) return n;
            problem ??= $"Grep '{key}' must be a whole number from 0 to {max}, not '{text}'";
            return null;
        }
        var context = Number("-C", MaxContext);
        var request = new GrepRequest(
            pattern, System.IO.Path.TrimEndingDirectorySeparator(path), call.InputValue("glob"), call.InputValue("type"), mode.Value,
            Flag("-i") ?? false, Flag("-n") ?? true,
            Number("-B", MaxContext) ?? context ?? 0, Number("-A", MaxContext) ?? context ?? 0,
            Flag("multiline") ?? false, Number("head_limit", int.MaxValue) is { } limit and > 0 ? limit : null);
        error = problem;
        return error is null ? request : null;
    }
}
