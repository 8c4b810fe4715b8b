namespace Orchestrator.Core.Shell;

/// <summary>
/// One shell word made of literal and expansion parts. <see cref="Raw"/> is its source text.
/// A word is static when it contains no expansion of any kind; globs, a leading tilde and brace
/// expansion keep a word static but are flagged, because the shell may still rewrite it.
/// </summary>
public sealed record ShellWord(IReadOnlyList<WordPart> Parts, string Raw)
{
    public bool IsStatic { get; } = AllLiteral(Parts);

    /// <summary>The word's value after quote removal when <see cref="IsStatic"/>, else null.</summary>
    public string? StaticValue { get; } = AllLiteral(Parts) ? Concatenate(Parts) : null;

    /// <summary>An unquoted <c>*</c>, <c>?</c> or <c>[</c>.</summary>
    public bool HasUnquotedGlob { get; } = AnyUnquoted(Parts, static text => text.AsSpan().IndexOfAny("*?[") >= 0);

    /// <summary>An unquoted <c>~</c> at the start of the word.</summary>
    public bool HasTilde { get; } = Parts.Count > 0 && Parts[0] is LiteralPart { Quote: QuoteKind.None } first
        && first.Text.StartsWith('~');

    /// <summary>An unquoted <c>{</c> followed later by an unquoted <c>}</c>, as in <c>{a,b}</c> or <c>{1..9}</c>.</summary>
    public bool HasBraceExpansion { get; } = HasUnquotedBracePair(Parts);

    public static ShellWord Literal(string text) => new([new LiteralPart(text, QuoteKind.None)], text);

    private static bool AllLiteral(IReadOnlyList<WordPart> parts)
    {
        for (var i = 0; i < parts.Count; i++)
            if (parts[i] is not LiteralPart) return false;
        return true;
    }

    private static string Concatenate(IReadOnlyList<WordPart> parts)
    {
        if (parts.Count == 1) return ((LiteralPart)parts[0]).Text;
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < parts.Count; i++) builder.Append(((LiteralPart)parts[i]).Text);
        return builder.ToString();
    }

    private static bool AnyUnquoted(IReadOnlyList<WordPart> parts, Func<string, bool> test)
    {
        for (var i = 0; i < parts.Count; i++)
            if (parts[i] is LiteralPart { Quote: QuoteKind.None } literal && test(literal.Text)) return true;
        return false;
    }

    private static bool HasUnquotedBracePair(IReadOnlyList<WordPart> parts)
    {
        var sawOpen = false;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not LiteralPart { Quote: QuoteKind.None } literal) continue;
            foreach (var c in literal.Text)
            {
                if (c == '{') sawOpen = true;
                else if (c == '}' && sawOpen) return true;
            }
        }
        return false;
    }
}
