namespace Orchestrator.Core.Shell;

/// <summary>
/// Bash brace expansion of a word's text: <c>a{b,c}d</c> → <c>abd acd</c>, nested lists, and sequences
/// <c>{1..3}</c>, <c>{01..10..3}</c>, <c>{a..e}</c>. A brace pair without a top-level comma or a valid sequence is
/// left as written, as bash leaves it.
/// </summary>
public static class BraceExpander
{
    /// <summary>The words the text expands to, or null when there would be more than <paramref name="limit"/>.</summary>
    public static IReadOnlyList<string>? Expand(string text, int limit = 64)
    {
        var result = new List<string>();
        return Expand(text, result, limit) ? result : null;
    }

    private static bool Expand(string text, List<string> into, int limit)
    {
        for (var open = text.IndexOf('{'); open >= 0; open = text.IndexOf('{', open + 1))
        {
            if (open > 0 && text[open - 1] == '$') continue; // ${name} is a parameter, not a brace expansion
            var close = MatchingClose(text, open);
            if (close < 0) return Add(text, into, limit);
            var alternatives = Alternatives(text[(open + 1)..close]);
            if (alternatives is null) continue;
            var prefix = text[..open];
            var suffix = text[(close + 1)..];
            foreach (var alternative in alternatives)
                if (!Expand(prefix + alternative + suffix, into, limit)) return false;
            return true;
        }
        return Add(text, into, limit);
    }

    private static bool Add(string text, List<string> into, int limit)
    {
        into.Add(text);
        return into.Count <= limit;
    }

    private static int MatchingClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static IReadOnlyList<string>? Alternatives(string body)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '\\': i++; break;
                case '{': depth++; break;
                case '}': depth--; break;
                case ',' when depth == 0:
                    parts.Add(body[start..i]);
                    start = i + 1;
                    break;
            }
        }
        if (parts.Count > 0)
        {
            parts.Add(body[start..]);
            return parts;
        }
        return Sequence(body);
    }

    private static IReadOnlyList<string>? Sequence(string body)
    {
        var pieces = body.Split("..");
        if (pieces.Length is not (2 or 3)) return null;
        var step = 1;
        if (pieces.Length == 3 && (!int.TryParse(pieces[2], out step) || step == 0)) return null;
        step = Math.Abs(step);
        if (int.TryParse(pieces[0], out var from) && int.TryParse(pieces[1], out var to))
        {
            var width = (pieces[0].Length > 1 && pieces[0].TrimStart('-').StartsWith('0')) || (pieces[1].Length > 1 && pieces[1].TrimStart('-').StartsWith('0'))
                ? Math.Max(pieces[0].Length, pieces[1].Length) : 0;
            if (Math.Abs((long)to - from) / step > 4096) return null;
            var list = new List<string>();
            for (long n = from; from <= to ? n <= to : n >= to; n += from <= to ? step : -step)
                list.Add(width > 0 ? n.ToString(new string('0', width), System.Globalization.CultureInfo.InvariantCulture) : n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return list;
        }
        if (pieces[0].Length == 1 && pieces[1].Length == 1 && char.IsAsciiLetter(pieces[0][0]) && char.IsAsciiLetter(pieces[1][0]))
        {
            var (a, b) = (pieces[0][0], pieces[1][0]);
            var list = new List<string>();
            for (var c = (int)a; a <= b ? c <= b : c >= b; c += a <= b ? step : -step) list.Add(((char)c).ToString());
            return list;
        }
        return null;
    }
}
