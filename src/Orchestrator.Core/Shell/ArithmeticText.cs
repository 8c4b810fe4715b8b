namespace Orchestrator.Core.Shell;

/// <summary>What bash's arithmetic evaluation of a piece of text can touch.</summary>
public static class ArithmeticText
{
    /// <summary>
    /// True when evaluating <paramref name="expression"/> as bash arithmetic could read a variable: it holds a name,
    /// an expansion or a quote. Numbers (<c>42</c>, <c>0x1f</c>, <c>16#ff</c>, <c>64#@_</c>) and operators read nothing.
    /// </summary>
    public static bool ReadsVariables(ReadOnlySpan<char> expression)
    {
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (char.IsAsciiDigit(c))
            {
                // A number runs on through letters, '#', '@' and '_' (base#digits); bash rejects a malformed one.
                while (i + 1 < expression.Length && (char.IsAsciiLetterOrDigit(expression[i + 1]) || expression[i + 1] is '#' or '@' or '_')) i++;
                continue;
            }
            if (char.IsAsciiLetter(c) || c is '_' or '$' or '`' or '"' or '\'' or '\\' or '[' or ']' or '\0') return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="text"/> is a plain integer (optionally signed), which reads nothing.</summary>
    public static bool IsInteger(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length > 0 && text[0] is '-' or '+') text = text[1..];
        if (text.IsEmpty) return false;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
