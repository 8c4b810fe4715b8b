namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// A Bash rule specifier as Claude Code writes it: exact (<c>npm run build</c>), legacy prefix (<c>npm run test:*</c>)
/// or wildcards (<c>git * main</c>). A trailing <c> *</c> or <c>:*</c> matches the command alone or followed by
/// arguments, so <c>ls *</c> matches <c>ls</c> and <c>ls -la</c> but never <c>lsof</c>; <c>ls*</c> matches both.
/// Matching runs on one simple command's words joined by single spaces. A pattern with <c>|</c> between commands
/// (<c>curl * | sh</c>) also has <see cref="Stages"/>, one pattern per command of a pipeline.
/// </summary>
public sealed class BashCommandPattern
{
    private readonly string _glob;

    private BashCommandPattern(string text, string glob, bool argumentsOptional, string? firstWord, IReadOnlyList<BashCommandPattern> stages)
    {
        Text = text;
        _glob = glob;
        ArgumentsOptional = argumentsOptional;
        FirstWord = firstWord;
        Words = glob.Length == 0 ? [] : glob.Split(' ');
        var literal = 0;
        while (literal < Words.Count && !Words[literal].Contains('*')) literal++;
        LeadingLiteralWords = literal;
        Stages = stages;
    }

    public string Text { get; }

    /// <summary>The literal program name the pattern starts with, or null when it starts with a wildcard.</summary>
    public string? FirstWord { get; }

    public bool MatchesEverything => _glob == "*";

    /// <summary>The pattern's words, without the optional trailing arguments (<c> *</c> / <c>:*</c>).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>True when the pattern ends in <c> *</c> or <c>:*</c>: further arguments may follow.</summary>
    public bool ArgumentsOptional { get; }

    /// <summary>Further arguments may follow the pattern's words: a trailing <c> *</c> / <c>:*</c>, or a last word ending
    /// in <c>*</c>, which runs over whatever follows in the text (<c>git push --force*</c>).</summary>
    public bool AcceptsMoreArguments => ArgumentsOptional || (Words.Count > 0 && Words[^1].EndsWith('*'));

    /// <summary>How many leading words hold no wildcard: what the pattern names literally.</summary>
    public int LeadingLiteralWords { get; }

    /// <summary>True when the pattern has no wildcard at all: it names one exact command.</summary>
    public bool IsExact => !ArgumentsOptional && LeadingLiteralWords == Words.Count;

    /// <summary>For a pipeline pattern (<c>curl * | sh</c>), one pattern per command; empty otherwise.</summary>
    public IReadOnlyList<BashCommandPattern> Stages { get; }

    public static BashCommandPattern Parse(string specifier)
    {
        var text = specifier.Trim();
        var stageTexts = SplitStages(text);
        IReadOnlyList<BashCommandPattern> stages = stageTexts.Count > 1 ? stageTexts.Select(Parse).ToArray() : [];

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
        return new BashCommandPattern(text, glob, optional, first, stages);
    }

    public bool Matches(string commandText)
    {
        if (Wildcard.Matches(_glob, commandText)) return true;
        if (!ArgumentsOptional) return false;
        // "P *": P followed by a space and anything.
        return commandText.Length > 0 && Wildcard.MatchesWithSpaceSuffix(_glob, commandText);
    }

    /// <summary>Splits <c>a | b</c> at single pipes (not <c>||</c>) outside quotes.</summary>
    private static List<string> SplitStages(string text)
    {
        var parts = new List<string>();
        var start = 0;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '\'' or '"') { quote = c; continue; }
            if (c != '|') continue;
            if ((i + 1 < text.Length && text[i + 1] == '|') || (i > 0 && text[i - 1] == '|')) { i++; continue; }
            parts.Add(text[start..i].Trim());
            start = i + 1;
        }
        parts.Add(text[start..].Trim());
        return parts.Any(p => p.Length == 0) ? [text] : parts;
    }

    private static string CollapseSpaces(string s)
    {
        if (!s.Contains("  ", StringComparison.Ordinal) && !s.Contains('\t')) return s;
        var parts = s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts);
    }

    public override string ToString() => Text;
}
