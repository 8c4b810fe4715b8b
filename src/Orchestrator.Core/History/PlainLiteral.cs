using Orchestrator.Core.Shell;

namespace Orchestrator.Core.History;

/// <summary>
/// Whether a secret span of a bash script is plain literal text, so masking it hides data and never code: the script
/// parses fully, the span lies inside one literal word, comment or unexpanded here-document body
/// (<see cref="ShellOutline"/>), and holds nothing the shell acts on: in a word no <c>$</c>, backtick, backslash,
/// operator or newline unless the whole span is one single-quoted string; a here-document body is a region only when
/// bash expands nothing in it.
/// </summary>
public sealed class PlainLiteral
{
    private static readonly char[] Active = ['$', '`', '\\', ';', '&', '|', '<', '>', '(', ')'];

    private readonly string _script;
    private readonly IReadOnlyList<LiteralRegion> _regions;

    private PlainLiteral(string script, IReadOnlyList<LiteralRegion> regions)
    {
        _script = script;
        _regions = regions;
    }

    public static PlainLiteral In(string script) =>
        new(script, ShellParser.Parse(script).FullyUnderstood ? ShellOutline.LiteralRegions(script) : []);

    private static bool IsSingleQuoted(ReadOnlySpan<char> text) =>
        text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' && text[1..^1].IndexOf('\'') < 0;

    public bool Covers(SecretSpan span)
    {
        foreach (var region in _regions)
        {
            if (span.Start < region.Start || span.End > region.End) continue;
            var text = _script.AsSpan(span.Start, span.Length);
            if (region.IsHereDocBody) return true; // an expanding body with any $, ` or \ is no region at all
            if (text.Contains('\n')) return false;
            return text.IndexOfAny(Active) < 0 || IsSingleQuoted(text);
        }
        return false;
    }
}
