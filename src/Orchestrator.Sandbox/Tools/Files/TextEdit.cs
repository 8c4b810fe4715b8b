namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// Claude Code's Edit on text, pure: <see cref="OldString"/> must occur exactly once (or at least once with
/// <see cref="ReplaceAll"/>), and differ from <see cref="NewString"/>. An empty <see cref="OldString"/> only creates a
/// file that does not exist (or fills an empty one).
/// </summary>
public sealed record TextEdit(string OldString, string NewString, bool ReplaceAll)
{
    public string? Problem => OldString == NewString ? "old_string and new_string are the same; there is nothing to change" : null;

    /// <summary>The text after the edit and how many replacements were made, or why the edit cannot apply.</summary>
    public (string? Text, int Replacements, string? Problem) Apply(string? text, string shown)
    {
        if (Problem is { } problem) return (null, 0, problem);
        if (text is null)
            return OldString.Length == 0 ? (NewString, 1, null) : (null, 0, $"{shown} does not exist");
        if (OldString.Length == 0)
            return text.Length == 0 ? (NewString, 1, null) : (null, 0, $"old_string is empty but {shown} is not; name the text to replace");
        var count = Count(text, OldString);
        if (count == 0) return (null, 0, $"old_string was not found in {shown} (it must match exactly, whitespace and line endings included)");
        if (count > 1 && !ReplaceAll)
            return (null, 0, $"old_string occurs {count} times in {shown}; add surrounding lines to make it unique, or set replace_all");
        return (ReplaceAll ? text.Replace(OldString, NewString, StringComparison.Ordinal) : ReplaceFirst(text), count, null);
    }

    private string ReplaceFirst(string text)
    {
        var at = text.IndexOf(OldString, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), NewString, text.AsSpan(at + OldString.Length));
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
