using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Paths;

/// <summary>
/// One compiled '/'-free piece of a glob: <c>*</c> (any run of characters), <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>,
/// <c>[!a]</c>/<c>[^a]</c> and <c>\</c> escapes. A whole-segment <c>**</c> is handled by <see cref="PathPattern"/>.
/// Common shapes (plain literal, <c>*</c>, <c>prefix*suffix</c>) avoid the general matcher.
/// </summary>
internal sealed class GlobSegment
{
    private enum Shape
    {
        DoubleStar,
        Literal,
        AnyName,
        PrefixSuffix,
        General,
    }

    private enum TokenKind
    {
        Char,
        AnyChar,
        Star,
        Class,
    }

    private readonly record struct Token(TokenKind Kind, char Char = '\0', CharClass? Class = null);

    private sealed record CharClass(bool Negated, (char Low, char High)[] Ranges);

    private readonly Shape _shape;
    private readonly string _prefix = "";
    private readonly string _suffix = "";
    private readonly Token[] _tokens = [];
    private readonly StringComparison _comparison;
    private readonly bool _ignoreCase;

    public static GlobSegment DoubleStar { get; } = new(Shape.DoubleStar);

    private GlobSegment(Shape shape)
    {
        _shape = shape;
    }

    private GlobSegment(Token[] tokens, bool ignoreCase)
    {
        _ignoreCase = ignoreCase;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _tokens = tokens;

        var stars = tokens.Count(t => t.Kind == TokenKind.Star);
        var onlyCharsAndStars = tokens.All(t => t.Kind is TokenKind.Char or TokenKind.Star);
        if (stars == 0 && onlyCharsAndStars)
        {
            _shape = Shape.Literal;
            _prefix = new string(tokens.Select(t => t.Char).ToArray());
        }
        else if (stars == 1 && onlyCharsAndStars)
        {
            var star = Array.FindIndex(tokens, t => t.Kind == TokenKind.Star);
            _prefix = new string(tokens[..star].Select(t => t.Char).ToArray());
            _suffix = new string(tokens[(star + 1)..].Select(t => t.Char).ToArray());
            _shape = _prefix.Length == 0 && _suffix.Length == 0 ? Shape.AnyName : Shape.PrefixSuffix;
        }
        else
        {
            _shape = Shape.General;
        }
    }

    public bool IsDoubleStar => _shape == Shape.DoubleStar;

    public bool IsLiteral => _shape == Shape.Literal;

    /// <summary>The unescaped text of a literal segment.</summary>
    public string LiteralText => _prefix;

    public static bool TryCompile(string text, bool ignoreCase,
        [NotNullWhen(true)] out GlobSegment? segment, [NotNullWhen(false)] out string? error)
    {
        segment = Compile(text, ignoreCase, out error);
        if (segment is not null)
            return true;
        error ??= "invalid pattern";
        return false;
    }

    private static GlobSegment? Compile(string text, bool ignoreCase, out string? error)
    {
        error = null;
        if (text == "**")
            return DoubleStar;

        var tokens = new List<Token>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\':
                    if (++i == text.Length)
                    {
                        error = "pattern ends with an unfinished '\\' escape";
                        return null;
                    }
                    tokens.Add(new Token(TokenKind.Char, text[i]));
                    break;
                case '*':
                    if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Star)
                        tokens.Add(new Token(TokenKind.Star));
                    break;
                case '?':
                    tokens.Add(new Token(TokenKind.AnyChar));
                    break;
                case '[':
                    if (ParseClass(text, ref i, out error) is not { } charClass)
                        return null;
                    tokens.Add(new Token(TokenKind.Class, Class: charClass));
                    break;
                default:
                    tokens.Add(new Token(TokenKind.Char, c));
                    break;
            }
        }
        return new GlobSegment(tokens.ToArray(), ignoreCase);
    }

    /// <summary>Parses a bracket expression starting at <paramref name="i"/> ('['), leaving i on its closing ']'.</summary>
    private static CharClass? ParseClass(string text, ref int i, out string? error)
    {
        error = null;
        var j = i + 1;
        var negated = j < text.Length && text[j] is '!' or '^';
        if (negated)
            j++;

        var ranges = new List<(char, char)>();
        var first = true;
        while (true)
        {
            if (j >= text.Length)
            {
                error = "unbalanced '[' in pattern";
                return null;
            }
            var c = text[j];
            if (c == ']' && !first)
                break;
            first = false;
            if (c == '\\')
            {
                if (++j >= text.Length)
                {
                    error = "unbalanced '[' in pattern";
                    return null;
                }
                c = text[j];
            }
            var high = c;
            if (j + 2 < text.Length && text[j + 1] == '-' && text[j + 2] != ']')
            {
                j += 2;
                if (text[j] == '\\' && j + 1 < text.Length)
                    j++;
                high = text[j];
                if (high < c)
                {
                    error = $"reversed range '{c}-{high}' in pattern";
                    return null;
                }
            }
            ranges.Add((c, high));
            j++;
        }
        i = j;
        return new CharClass(negated, ranges.ToArray());
    }

    public bool Matches(ReadOnlySpan<char> name)
    {
        switch (_shape)
        {
            case Shape.DoubleStar:
            case Shape.AnyName:
                return true;
            case Shape.Literal:
                return name.Equals(_prefix, _comparison);
            case Shape.PrefixSuffix:
                return name.Length >= _prefix.Length + _suffix.Length
                       && name.StartsWith(_prefix, _comparison)
                       && name.EndsWith(_suffix, _comparison);
            default:
                return MatchGeneral(name);
        }
    }

    /// <summary>Wildcard matching with backtracking to the last '*' only, which suffices because every other token eats one char.</summary>
    private bool MatchGeneral(ReadOnlySpan<char> name)
    {
        int t = 0, n = 0, starToken = -1, starName = -1;
        while (n < name.Length)
        {
            if (t < _tokens.Length && _tokens[t].Kind == TokenKind.Star)
            {
                starToken = t++;
                starName = n;
                continue;
            }
            if (t < _tokens.Length && MatchesOne(_tokens[t], name[n]))
            {
                t++;
                n++;
                continue;
            }
            if (starToken < 0)
                return false;
            t = starToken + 1;
            n = ++starName;
        }
        while (t < _tokens.Length && _tokens[t].Kind == TokenKind.Star)
            t++;
        return t == _tokens.Length;
    }

    private bool MatchesOne(Token token, char c) => token.Kind switch
    {
        TokenKind.AnyChar => true,
        TokenKind.Char => token.Char == c || (_ignoreCase && char.ToUpperInvariant(token.Char) == char.ToUpperInvariant(c)),
        TokenKind.Class => InClass(token.Class!, c),
        _ => false,
    };

    private bool InClass(CharClass charClass, char c)
    {
        var found = InRanges(charClass.Ranges, c)
                    || (_ignoreCase && (InRanges(charClass.Ranges, char.ToLowerInvariant(c)) || InRanges(charClass.Ranges, char.ToUpperInvariant(c))));
        return found != charClass.Negated;
    }

    private static bool InRanges((char Low, char High)[] ranges, char c)
    {
        foreach (var (low, high) in ranges)
        {
            if (c >= low && c <= high)
                return true;
        }
        return false;
    }
}
