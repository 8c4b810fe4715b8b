namespace Orchestrator.Core.Policy.Rules;

/// <summary>
/// Claude Code's split of a rule string into tool name and content: the content lies between the first unescaped
/// <c>(</c> and the last unescaped <c>)</c>; <c>\(</c>, <c>\)</c> and <c>\\</c> stand for themselves inside it. When
/// the last <c>)</c> is not the final character (<c>Bash(rm -r /)*</c>), Claude Code reads the whole string as a tool
/// name — a rule that never matches.
/// </summary>
internal static class RuleSyntax
{
    /// <summary>The parts of a rule string; <see cref="Open"/> and <see cref="Close"/> are -1 without parentheses.</summary>
    public readonly record struct Parts(string Tool, string? Content, int Open, int Close, int OpenCount, int CloseCount);

    public static Parts Split(string text)
    {
        int open = -1, close = -1, opens = 0, closes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscaped(text, i)) continue;
            if (text[i] == '(')
            {
                opens++;
                if (open < 0) open = i;
            }
            else if (text[i] == ')')
            {
                closes++;
                close = i;
            }
        }
        if (open < 0) return new Parts(text, null, -1, -1, opens, closes);
        return new Parts(text[..open], close > open ? text[(open + 1)..close] : null, open, close, opens, closes);
    }

    /// <summary>The offset of the first <c>)</c> that closes nothing, or -1.</summary>
    public static int FirstUnmatchedClose(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscaped(text, i)) continue;
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && --depth < 0) return i;
        }
        return -1;
    }

    public static string Unescape(string content) =>
        content.Contains('\\') ? content.Replace(@"\(", "(").Replace(@"\)", ")").Replace(@"\\", @"\") : content;

    /// <summary>An odd number of backslashes before the character escapes it.</summary>
    private static bool IsEscaped(string text, int index)
    {
        var backslashes = 0;
        for (var j = index - 1; j >= 0 && text[j] == '\\'; j--) backslashes++;
        return backslashes % 2 == 1;
    }
}
