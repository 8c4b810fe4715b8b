namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// A Bash rule specifier as Claude Code writes it: exact (<c>npm run build</c>), legacy prefix (<c>npm run test:*</c>)
/// or wildcards (<c>git * main</c>). A trailing <c> *</c> or <c>:*</c> matches the command alone or followed by
/// arguments, so <c>ls *</c> matches <c>ls</c> and <c>ls -la</c> but never <c>lsof</c>; <c>ls*</c> matches both.
/// Matching runs on one simple command's words joined by single spaces.
/// </summary>
public sealed class BashCommandPattern
{
    private readonly string _glob;
    private readonly bool _argumentsOptional;

    private BashCommandPattern(string text, string glob, bool argumentsOptional, string? firstWord)
    {
        Text = text;
        _glob = glob;
        _argumentsOptional = argumentsOptional;
        FirstWord = firstWord;
    }

    public string Text { get; }

    /// <summary>The literal program name the pattern starts with, or null when it starts with a wildcard.</summary>
    public string? FirstWord { get; }

    public bool MatchesEverything => _glob == "*";

    public static BashCommandPattern Parse(string specifier)
    {
        var text = specifier.Trim();
        var glob = text;
        var optional = false;
        if (glob.EndsWith(":*", StringComparison.Ordinal))
        {
            glob = glob[..^2].TrimEnd();
            optional = true;
        }
        else if (glob.Length > 2 && glob.EndsWith(" *", StringComparison.Ordinal))
        {
            glob = glob[..^2].TrimEnd();
            optional = true;
        }
        glob = CollapseSpaces(glob);

        var end = 0;
        while (end < glob.Length && glob[end] != ' ' && glob[end] != '*') end++;
        string? first = end > 0 && (end == glob.Length || glob[end] == ' ') ? glob[..end] : null;
        return new BashCommandPattern(text, glob, optional, first);
    }

    public bool Matches(string commandText)
    {
        if (Wildcard.Matches(_glob, commandText)) return true;
        if (!_argumentsOptional) return false;
        // "P *": P followed by a space and anything.
        return commandText.Length > 0 && Wildcard.MatchesWithSpaceSuffix(_glob, commandText);
    }

    private static string CollapseSpaces(string s)
    {
        if (!s.Contains("  ", StringComparison.Ordinal) && !s.Contains('\t')) return s;
        var parts = s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts);
    }

    public override string ToString() => Text;
}
