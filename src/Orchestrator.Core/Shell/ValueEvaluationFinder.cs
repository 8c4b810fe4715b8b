namespace Orchestrator.Core.Shell;

/// <summary>Finds the <see cref="ValueEvaluation"/>s in a word or a <c>[[ ]]</c> test.</summary>
internal static class ValueEvaluationFinder
{
    private const string ArithmeticReads =
        "arithmetic reads variables, and bash evaluates their values as arithmetic, where a subscript runs command substitutions";

    public static ValueEvaluation? In(WordPart part) => part switch
    {
        ArithmeticPart arithmetic when ArithmeticText.ReadsVariables(arithmetic.Raw.AsSpan(3, arithmetic.Raw.Length - 5)) =>
            new ValueEvaluation(arithmetic.Raw, ArithmeticReads),
        ParameterPart parameter when parameter.Raw.StartsWith("${", StringComparison.Ordinal) && InBraces(parameter.Raw) is { } reason =>
            new ValueEvaluation(parameter.Raw, reason),
        _ => null,
    };

    /// <summary>Arithmetic comparisons evaluate both operands; <c>-v</c> and <c>-R</c> evaluate a subscript in the name.</summary>
    public static ValueEvaluation? In(TestCommand test)
    {
        var words = test.Words;
        for (var k = 0; k < words.Count; k++)
        {
            switch (Operator(words[k]))
            {
                case "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge":
                    if (k == 0 || k + 1 >= words.Count || ReadsVariables(words[k - 1]) || ReadsVariables(words[k + 1]))
                        return new ValueEvaluation(Describe(test), "[[ ]] compares as arithmetic, and " + ArithmeticReads);
                    break;
                case "-v" or "-R":
                    if (k + 1 >= words.Count || words[k + 1].StaticValue is not { } name || !IsPlainName(name))
                        return new ValueEvaluation(Describe(test), "[[ -v ]] evaluates the subscript of the variable it names as arithmetic");
                    break;
            }
        }
        return null;
    }

    /// <summary>A variable name, optionally with a subscript that is a plain number, <c>@</c> or <c>*</c>.</summary>
    public static bool IsPlainName(string text)
    {
        var open = text.IndexOf('[');
        var name = open < 0 ? text.AsSpan() : text.AsSpan(0, open);
        if (!IsName(name)) return false;
        if (open < 0) return true;
        if (text[^1] != ']') return false;
        var subscript = text.AsSpan(open + 1, text.Length - open - 2);
        return subscript is "@" or "*" || ArithmeticText.IsInteger(subscript);
    }

    private static string? Operator(ShellWord word) =>
        word.Parts is [LiteralPart { Quote: QuoteKind.None } literal] ? literal.Text : null;

    private static bool ReadsVariables(ShellWord operand) =>
        operand.StaticValue is not { } value || ArithmeticText.ReadsVariables(value);

    private static string Describe(TestCommand test) => "[[ " + string.Join(' ', test.Words.Select(w => w.Raw)) + " ]]";

    /// <summary>Checks every <c>${ }</c> in the text, nested ones in operator words included.</summary>
    private static string? InBraces(string raw)
    {
        for (var at = raw.IndexOf("${", StringComparison.Ordinal); at >= 0; at = raw.IndexOf("${", at + 2, StringComparison.Ordinal))
        {
            var close = MatchingBrace(raw, at + 1);
            if (Braced(raw.AsSpan(at + 2, (close < 0 ? raw.Length : close) - at - 2)) is { } reason) return reason;
        }
        return null;
    }

    private static string? Braced(ReadOnlySpan<char> inner)
    {
        if (inner.Length > 1 && inner[0] == '!')
        {
            var rest = inner[1..];
            var length = NameLength(rest);
            if (length > 0 && length == rest.Length - 1 && rest[^1] is '*' or '@') return null;
            if (length > 0 && rest[length..] is "[@]" or "[*]") return null;
            return "an indirect expansion takes a variable's value as the name to expand, and bash evaluates a subscript in that name";
        }
        if (inner.Length > 1 && inner[0] == '#') inner = inner[1..];
        var nameLength = NameLength(inner);
        if (nameLength == 0) return null;
        var after = inner[nameLength..];
        if (after.Length > 0 && after[0] == '[')
        {
            var close = MatchingBracket(after);
            if (close < 0) return "an unterminated array subscript";
            var subscript = after[1..close];
            if (!(subscript is "@" or "*" || ArithmeticText.IsInteger(subscript)))
                return "an array subscript is evaluated as arithmetic, and " + ArithmeticReads;
            after = after[(close + 1)..];
        }
        if (after.Length > 1 && after[0] == ':' && after[1] is not ('-' or '=' or '?' or '+') && ArithmeticText.ReadsVariables(after[1..]))
            return "a substring offset is evaluated as arithmetic, and " + ArithmeticReads;
        return null;
    }

    private static int NameLength(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return 0;
        var length = 0;
        if (char.IsAsciiLetter(text[0]) || text[0] == '_')
            while (length < text.Length && (char.IsAsciiLetterOrDigit(text[length]) || text[length] == '_')) length++;
        else if (char.IsAsciiDigit(text[0]))
            while (length < text.Length && char.IsAsciiDigit(text[length])) length++;
        else if (text[0] is '@' or '*' or '#' or '?' or '-' or '$' or '!')
            length = 1;
        return length;
    }

    private static bool IsName(ReadOnlySpan<char> text) =>
        !text.IsEmpty && (char.IsAsciiLetter(text[0]) || text[0] == '_') && NameLength(text) == text.Length;

    private static int MatchingBrace(string text, int open)
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

    private static int MatchingBracket(ReadOnlySpan<char> text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']' && --depth == 0) return i;
        }
        return -1;
    }
}
