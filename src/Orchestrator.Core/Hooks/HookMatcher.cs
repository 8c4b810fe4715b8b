using System.Text.RegularExpressions;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// One entry of an event's array: a tool-name matcher and its hooks. Like Claude Code, a matcher made only of letters,
/// digits, '_' and '|' lists exact tool names (<c>Bash|Write</c>); anything else is a regular expression searched
/// anywhere in the name (<c>mcp__.*</c>); empty or <c>*</c> matches every tool. Regexes run without backtracking, so a
/// hostile pattern cannot stall evaluation.
/// </summary>
public sealed record HookMatcher
{
    private readonly Func<string, bool> _matches = static _ => true;

    public required HookEvent Event { get; init; }

    /// <summary>The matcher text as configured; setting it compiles it (so <c>with { Pattern = … }</c> stays consistent).</summary>
    public required string Pattern
    {
        get;
        init
        {
            field = value;
            _matches = Compile(value);
        }
    }

    public required IReadOnlyList<HookDefinition> Hooks { get; init; }
    public required SourceLocation Location { get; init; }

    public bool Matches(string toolName) => _matches(toolName);

    /// <summary>The error text when <paramref name="pattern"/> is not a usable matcher, else null.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            Compile(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"matcher '{pattern}' is not a valid regular expression: {e.Message}";
        }
        catch (NotSupportedException)
        {
            return $"matcher '{pattern}' uses a regular-expression construct that is not supported (backreferences, lookarounds, atomic groups)";
        }
    }

    private static Func<string, bool> Compile(string pattern)
    {
        if (pattern is "" or "*") return static _ => true;
        if (pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '|'))
        {
            var names = pattern.Split('|', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return names.Contains;
        }
        var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return regex.IsMatch;
    }
}
