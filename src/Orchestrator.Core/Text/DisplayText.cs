using System.Globalization;
using System.Text;

namespace Orchestrator.Core.Text;

/// <summary>
/// Makes text safe to show to a person on a terminal or page: every character that could hide, move or reorder what is
/// shown becomes a visible escape — C0 and C1 control characters and DEL (<c>\x1b</c>), bidirectional overrides,
/// embeddings, isolates and marks (<c>\u202e</c>), zero-width and other invisible format characters, line and paragraph
/// separators, and unpaired surrogates. So <c>touch src/x</c> followed by a carriage return and <c>ls -la src</c> is shown
/// as exactly that, never as <c>ls -la src</c>. Everything else, other scripts included, is shown as it is.
/// </summary>
public static class DisplayText
{
    /// <summary>Escapes one value (a command, a reason, an id): line breaks and tabs are escaped too.</summary>
    public static string Escape(string? text) => Escape(text, keepLineBreaks: false);

    /// <summary>
    /// Escapes <paramref name="text"/>; with <paramref name="keepLineBreaks"/>, <c>\n</c> and <c>\t</c> stay (for whole
    /// blocks of output whose lines the program itself laid out).
    /// </summary>
    public static string Escape(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var first = FirstUnsafe(text, keepLineBreaks);
        if (first < 0) return text;
        var result = new StringBuilder(text.Length + 16).Append(text, 0, first);
        AppendEscaped(result, text.AsSpan(first), keepLineBreaks, json: false);
        return result.ToString();
    }

    /// <summary>
    /// JSON text made safe for a terminal and still the same JSON: unsafe characters (which can only sit inside strings)
    /// become <c>\uXXXX</c> escapes, which any JSON reader decodes to the same value.
    /// </summary>
    public static string EscapeJson(string json)
    {
        if (string.IsNullOrEmpty(json)) return json;
        var first = FirstUnsafe(json, keepLineBreaks: true);
        if (first < 0) return json;
        var result = new StringBuilder(json.Length + 16).Append(json, 0, first);
        AppendEscaped(result, json.AsSpan(first), keepLineBreaks: true, json: true);
        return result.ToString();
    }

    /// <summary>Whether a code point is shown escaped.</summary>
    public static bool IsUnsafe(int codePoint, bool keepLineBreaks = false)
    {
        if (codePoint is '\n' or '\t') return !keepLineBreaks;
        if (codePoint < 0x20 || codePoint is >= 0x7f and <= 0x9f) return true;
        if (codePoint is >= 0xd800 and <= 0xdfff) return true; // unpaired surrogate
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Format => true,               // bidi controls, zero-width, soft hyphen, tags, BOM, …
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
            UnicodeCategory.Control => true,
            _ => codePoint is 0x115f or 0x1160 or 0x3164 or 0xffa0 or 0x034f || codePoint is >= 0xfff9 and <= 0xfffb,
        };
    }

    private static int FirstUnsafe(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and < '\x7f') continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (IsUnsafe(char.ConvertToUtf32(c, text[i + 1]), keepLineBreaks)) return i;
                i++;
                continue;
            }
            if (IsUnsafe(c, keepLineBreaks)) return i;
        }
        return -1;
    }

    private static void AppendEscaped(StringBuilder result, ReadOnlySpan<char> text, bool keepLineBreaks, bool json)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int codePoint = c;
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                width = 2;
            }
            if (!IsUnsafe(codePoint, keepLineBreaks))
                result.Append(text.Slice(i, width));
            else if (json)
                foreach (var unit in text.Slice(i, width)) result.Append("\\u").Append(((int)unit).ToString("x4", CultureInfo.InvariantCulture));
            else if (codePoint < 0x100)
                result.Append("\\x").Append(codePoint.ToString("x2", CultureInfo.InvariantCulture));
            else if (codePoint < 0x10000)
                result.Append("\\u").Append(codePoint.ToString("x4", CultureInfo.InvariantCulture));
            else
                result.Append("\\U").Append(codePoint.ToString("x8", CultureInfo.InvariantCulture));
            i += width - 1;
        }
    }
}
