namespace Orchestrator.Core.Shell;

/// <summary>
/// One shell word made of literal and expansion parts. <see cref="Raw"/> is its source text.
/// A word is static when it contains no expansion of any kind; globs, a leading tilde and brace
/// expansion keep a word static but are flagged, because the shell may still rewrite it.
/// </summary>
public sealed record ShellWord(IReadOnlyList<WordPart> Parts, string Raw)
{
    private readonly IReadOnlyList<WordPart> _parts = Parts;
    private readonly WordTraits _traits = WordTraits.Of(Parts);

    // Derived traits are recomputed when a copy is made with different parts, so `with` cannot leave them stale.
    public IReadOnlyList<WordPart> Parts
    {
        get => _parts;
        init
        {
            _parts = value;
            _traits = WordTraits.Of(value);
        }
    }

    public bool IsStatic => _traits.StaticValue is not null;

    /// <summary>The word's value after quote removal when <see cref="IsStatic"/>, else null.</summary>
    public string? StaticValue => _traits.StaticValue;

    /// <summary>An unquoted <c>*</c>, <c>?</c> or <c>[</c>.</summary>
    public bool HasUnquotedGlob => _traits.HasUnquotedGlob;

    /// <summary>An unquoted <c>~</c> at the start of the word.</summary>
    public bool HasTilde => _traits.HasTilde;

    /// <summary>An unquoted <c>{</c> followed later by an unquoted <c>}</c>, as in <c>{a,b}</c> or <c>{1..9}</c>.</summary>
    public bool HasBraceExpansion => _traits.HasBraceExpansion;

    public static ShellWord Literal(string text) => new(new WordPart[] { new LiteralPart(text, QuoteKind.None) }, text);

    /// <summary>Everything callers ask of a word, computed once in a single pass over its parts.</summary>
    private readonly record struct WordTraits(string? StaticValue, bool HasUnquotedGlob, bool HasTilde, bool HasBraceExpansion)
    {
        public static WordTraits Of(IReadOnlyList<WordPart> parts)
        {
            var count = parts.Count;
            var allLiteral = true;
            bool glob = false, tilde = false, braceOpen = false, brace = false;
            for (var i = 0; i < count; i++)
            {
                if (parts[i] is not LiteralPart literal)
                {
                    allLiteral = false;
                    continue;
                }
                if (literal.Quote != QuoteKind.None) continue;
                var text = literal.Text;
                if (i == 0 && text.Length > 0 && text[0] == '~') tilde = true;
                foreach (var c in text)
                {
                    switch (c)
                    {
                        case '*' or '?' or '[':
                            glob = true;
                            break;
                        case '{':
                            braceOpen = true;
                            break;
                        case '}' when braceOpen:
                            brace = true;
                            break;
                    }
                }
            }
            return new WordTraits(allLiteral ? Concatenate(parts) : null, glob, tilde, brace);
        }

        private static string Concatenate(IReadOnlyList<WordPart> parts)
        {
            if (parts.Count == 1) return ((LiteralPart)parts[0]).Text;
            if (parts.Count == 0) return "";
            var builder = new System.Text.StringBuilder();
            for (var i = 0; i < parts.Count; i++) builder.Append(((LiteralPart)parts[i]).Text);
            return builder.ToString();
        }
    }
}
