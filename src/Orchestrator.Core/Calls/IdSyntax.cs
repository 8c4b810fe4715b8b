namespace Orchestrator.Core.Calls;

/// <summary>
/// The one syntax of every id a client names (call, agent, session, tool, approval, grant): 1 to
/// <see cref="MaxLength"/> characters of <c>A-Z a-z 0-9 _ . : @ -</c>, and not <c>.</c> or <c>..</c>. Such an id is
/// safe in a URL path segment, an actor name, a persistence id and a log line without escaping, so every id that is
/// accepted can also be read back.
/// </summary>
public static class IdSyntax
{
    public const int MaxLength = 128;

    /// <summary>The characters of an id, in words (<see cref="IsIdChar"/>).</summary>
    private const string Characters = "A-Z a-z 0-9 _ . : @ -";

    /// <summary>The rule in words, for error messages and documentation.</summary>
    public const string Rule = "1-128 characters of " + Characters + ", not '.' or '..'";

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id is "." or "..") return false;
        foreach (var c in id)
            if (!IsIdChar(c)) return false;
        return true;
    }

    /// <summary>Null when <paramref name="id"/> is valid, else a message naming <paramref name="field"/> and the rule.</summary>
    public static string? Problem(string field, string? id) => IsValid(id)
        ? null
        : id is null
            ? $"{field} is required ({Rule})"
            : $"{field} must be {Rule}; got {Describe(id)}";

    /// <summary>
    /// Null when <paramref name="prefix"/> can begin an id (1 to <see cref="MaxLength"/> id characters; <c>.</c> begins
    /// <c>.a</c>), else a message naming <paramref name="field"/> and the rule.
    /// </summary>
    public static string? PrefixProblem(string field, string prefix) =>
        prefix.Length is > 0 and <= MaxLength && prefix.All(IsIdChar)
            ? null
            : $"{field} must be the start of an id: 1-{MaxLength} characters of {Characters}; got {Describe(prefix)}";

    public static bool IsIdChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or ':' or '@' or '-';

    /// <summary>A short, printable description of a rejected id (never echoes a huge or control-laden value).</summary>
    private static string Describe(string id)
    {
        if (id.Length == 0) return "an empty string";
        if (id.Length > MaxLength) return $"{id.Length} characters";
        var bad = id.FirstOrDefault(c => !IsIdChar(c));
        return bad == default ? $"'{id}'" : $"a character U+{(int)bad:X4} at position {id.IndexOf(bad, StringComparison.Ordinal) + 1}";
    }
}
