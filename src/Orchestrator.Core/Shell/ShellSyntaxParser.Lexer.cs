using System.Text;

namespace Orchestrator.Core.Shell;

internal sealed partial class ShellSyntaxParser
{
    private ShellToken Lex()
    {
        SkipBlanksAndComments();
        var start = _position;
        if (start >= _source.Length) return new ShellToken(ShellTokenKind.EndOfInput, start, start, "", null);
        var next = At(start + 1);
        switch (_source[start])
        {
            case '\n':
                _position++;
                return new ShellToken(ShellTokenKind.Newline, start, start + 1, "\n", null);
            case '&':
                if (_testMode) return Operator(start, next == '&' ? "&&" : "&");
                if (next == '&') return Operator(start, "&&");
                if (next == '>') return Operator(start, At(start + 2) == '>' ? "&>>" : "&>");
                return Operator(start, "&");
            case '|':
                if (next == '|') return Operator(start, "||");
                return Operator(start, next == '&' && !_testMode ? "|&" : "|");
            case ';':
                if (next == ';') return Operator(start, At(start + 2) == '&' ? ";;&" : ";;");
                return Operator(start, next == '&' ? ";&" : ";");
            case '(':
                return Operator(start, "(");
            case ')':
                return Operator(start, ")");
            case '<':
                if (next == '(') break;
                if (_testMode) return Operator(start, "<");
                if (next == '<')
                {
                    var third = At(start + 2);
                    return Operator(start, third == '<' ? "<<<" : third == '-' ? "<<-" : "<<");
                }
                return Operator(start, next switch { '>' => "<>", '&' => "<&", _ => "<" });
            case '>':
                if (next == '(') break;
                if (_testMode) return Operator(start, ">");
                return Operator(start, next switch { '>' => ">>", '|' => ">|", '&' => ">&", _ => ">" });
        }
        return LexWord(start);
    }

    private ShellToken Operator(int start, string text)
    {
        _position = start + text.Length;
        return new ShellToken(ShellTokenKind.Operator, start, _position, text, null);
    }

    private void SkipBlanksAndComments()
    {
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c is ' ' or '\t') _position++;
            else if (c == '\\' && At(_position + 1) == '\n') _position += 2;
            else if (c == '#')
            {
                var newline = _source.IndexOf('\n', _position);
                _position = newline < 0 ? _source.Length : newline;
            }
            else return;
        }
    }

    private ShellToken LexWord(int start)
    {
        var builder = RentBuilder();
        var parenDepth = 0;
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c is ' ' or '\t' or '\n' or ';' or '&') break;
            if (c is '<' or '>')
            {
                if (At(_position + 1) != '(') break;
                LexProcessSubstitution(builder);
                continue;
            }
            // Inside [[ ]], parentheses and | within a word belong to extglob or regex patterns.
            if (c == '(' && !(_testMode && _position > start)) break;
            if (c is ')' or '|' && !(_testMode && parenDepth > 0)) break;
            switch (c)
            {
                case '(':
                    parenDepth++;
                    builder.Append(c, QuoteKind.None);
                    _position++;
                    break;
                case ')':
                    parenDepth--;
                    builder.Append(c, QuoteKind.None);
                    _position++;
                    break;
                case '\\':
                    if (At(_position + 1) == '\n') _position += 2;
                    else if (_position + 1 >= _source.Length)
                    {
                        builder.Append('\\', QuoteKind.None);
                        _position++;
                    }
                    else
                    {
                        builder.Append(_source[_position + 1], QuoteKind.Backslash);
                        _position += 2;
                    }
                    break;
                case '\'':
                    LexSingleQuoted(builder);
                    break;
                case '"':
                    _position++;
                    builder.Open(QuoteKind.Double);
                    LexDoubleQuotedContent(builder, hereDoc: false, openOffset: _position - 1);
                    break;
                case '$':
                    LexDollar(builder, inDoubleQuotes: false);
                    break;
                case '`':
                    LexBacktick(builder, inDoubleQuotes: false);
                    break;
                default:
                    var runEnd = _position + 1;
                    while (runEnd < _source.Length && IsPlainWordChar(_source[runEnd])) runEnd++;
                    builder.Append(_source.AsSpan(_position, runEnd - _position), QuoteKind.None);
                    _position = runEnd;
                    break;
            }
        }
        if (_position == start)
        {
            ReturnBuilder();
            Fail($"unexpected character '{_source[start]}'", start);
            return new ShellToken(ShellTokenKind.EndOfInput, _source.Length, _source.Length, "", null);
        }
        var raw = _source.Substring(start, _position - start);
        var word = builder.Build(raw);
        ReturnBuilder();
        var kind = ShellTokenKind.Word;
        if (!_testMode && At(_position) is '<' or '>')
        {
            if (IsDigits(raw)) kind = ShellTokenKind.IoNumber;
            else if (raw.Length > 2 && raw[0] == '{' && raw[^1] == '}' && IsName(raw.AsSpan(1, raw.Length - 2)))
                kind = ShellTokenKind.IoVariable;
        }
        return new ShellToken(kind, start, _position, raw, word);
    }

    /// <summary>Characters that never end a word or start a quote or expansion.</summary>
    private static bool IsPlainWordChar(char c) => c switch
    {
        ' ' or '\t' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')' or '\\' or '\'' or '"' or '$' or '`' => false,
        _ => true,
    };

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
            if (c is < '0' or > '9') return false;
        return text.Length > 0;
    }

    private void LexSingleQuoted(WordBuilder builder)
    {
        var open = _position;
        var close = _source.IndexOf('\'', open + 1);
        if (close < 0)
        {
            Fail("unterminated single quote", open);
            return;
        }
        builder.Append(_source.AsSpan(open + 1, close - open - 1), QuoteKind.Single);
        _position = close + 1;
    }

    /// <summary>Lexes after an opening <c>"</c> up to and including the closing one, or a whole here-document body.</summary>
    /// <param name="quote"><see cref="QuoteKind.Locale"/> for <c>$"…"</c>, which reads like double quotes.</param>
    private void LexDoubleQuotedContent(WordBuilder builder, bool hereDoc, int openOffset, QuoteKind quote = QuoteKind.Double)
    {
        while (true)
        {
            if (_position >= _source.Length)
            {
                if (!hereDoc) Fail("unterminated double quote", openOffset);
                return;
            }
            var c = _source[_position];
            switch (c)
            {
                case '"' when !hereDoc:
                    _position++;
                    return;
                case '\\':
                    var escaped = At(_position + 1);
                    if (escaped == '\n') _position += 2;
                    else if (escaped is '$' or '`' or '\\' || (escaped == '"' && !hereDoc))
                    {
                        builder.Append(escaped, quote);
                        _position += 2;
                    }
                    else
                    {
                        builder.Append('\\', quote);
                        _position++;
                    }
                    break;
                case '$':
                    LexDollar(builder, inDoubleQuotes: true);
                    break;
                case '`':
                    LexBacktick(builder, inDoubleQuotes: true);
                    break;
                default:
                    builder.Append(c, quote);
                    _position++;
                    break;
            }
        }
    }

    private void LexDollar(WordBuilder builder, bool inDoubleQuotes)
    {
        var start = _position;
        var next = At(start + 1);
        switch (next)
        {
            case '(':
                if (At(start + 2) == '(' && TryLexArithmetic(builder, start, inDoubleQuotes)) return;
                _position = start + 2;
                builder.Add(new CommandSubstitutionPart(ParseUntilCloseParen(start, "$("), Backtick: false) { InDoubleQuotes = inDoubleQuotes });
                return;
            case '{':
                LexBracedParameter(builder, start, inDoubleQuotes);
                return;
            case '\'' when !inDoubleQuotes:
                LexAnsiCQuoted(builder, start);
                return;
            case '"' when !inDoubleQuotes:
                _position = start + 2;
                builder.Open(QuoteKind.Locale);
                LexDoubleQuotedContent(builder, hereDoc: false, openOffset: start, QuoteKind.Locale);
                return;
            case '[':
                Fail("legacy $[ ] arithmetic is not supported", start);
                return;
        }
        if (IsNameStart(next))
        {
            var end = start + 2;
            while (end < _source.Length && IsNameChar(_source[end])) end++;
            _position = end;
            builder.Add(new ParameterPart(_source.Substring(start, end - start), _source.Substring(start + 1, end - start - 1))
                { InDoubleQuotes = inDoubleQuotes });
            return;
        }
        if (next is (>= '0' and <= '9') or '@' or '*' or '#' or '?' or '-' or '$' or '!')
        {
            _position = start + 2;
            var raw = _source.Substring(start, 2);
            builder.Add(new ParameterPart(raw, raw.Substring(1)) { InDoubleQuotes = inDoubleQuotes });
            return;
        }
        builder.Append('$', inDoubleQuotes ? QuoteKind.Double : QuoteKind.None);
        _position = start + 1;
    }

    /// <summary>Lexes <c>$(( … ))</c>; returns false when the text is really <c>$( ( … ) … )</c>.</summary>
    private bool TryLexArithmetic(WordBuilder builder, int start, bool inDoubleQuotes)
    {
        var depth = 0;
        for (var i = start + 3; i < _source.Length; i++)
        {
            var c = _source[i];
            // Like bash, parentheses inside quotes do not count towards the closing "))".
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (c is '\'' or '"')
            {
                var close = _source.IndexOf(c, i + 1);
                if (close < 0) return false;
                i = close;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')')
            {
                if (depth > 0)
                {
                    depth--;
                    continue;
                }
                if (At(i + 1) != ')') return false;
                var raw = _source.Substring(start, i + 2 - start);
                var expression = raw.AsSpan(3, raw.Length - 5);
                if (expression.Contains("$(", StringComparison.Ordinal) || expression.Contains('`')
                    || expression.Contains("<(", StringComparison.Ordinal) || expression.Contains(">(", StringComparison.Ordinal))
                {
                    Fail("command substitution inside $(( )) is not supported", start);
                    return true;
                }
                builder.Add(new ArithmeticPart(raw) { InDoubleQuotes = inDoubleQuotes });
                _position = i + 2;
                return true;
            }
        }
        return false;
    }

    private void LexBracedParameter(WordBuilder builder, int start, bool inDoubleQuotes)
    {
        var depth = 1;
        var hasSubstitution = false;
        var i = start + 2;
        while (i < _source.Length)
        {
            var c = _source[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '\'' && !inDoubleQuotes)
            {
                var close = _source.IndexOf('\'', i + 1);
                if (close < 0) break;
                i = close + 1;
                continue;
            }
            if (c == '"')
            {
                i++;
                while (i < _source.Length && _source[i] != '"')
                {
                    if (_source[i] == '`' || (_source[i] == '$' && At(i + 1) == '(')) hasSubstitution = true;
                    i += _source[i] == '\\' ? 2 : 1;
                }
                i++;
                continue;
            }
            if (c == '`' || (c is '$' or '<' or '>' && At(i + 1) == '(')) hasSubstitution = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0)
            {
                if (hasSubstitution)
                {
                    Fail("command substitution inside ${ } is not supported", start);
                    return;
                }
                // ${x@P} expands the value like a prompt string, which runs command substitutions stored in it.
                if (_source.AsSpan(start, i - start).Contains("@P", StringComparison.Ordinal))
                {
                    Fail("prompt expansion ${ @P} is not supported", start);
                    return;
                }
                var raw = _source.Substring(start, i + 1 - start);
                builder.Add(new ParameterPart(raw, ParameterName(raw.AsSpan(2, raw.Length - 3))) { InDoubleQuotes = inDoubleQuotes });
                _position = i + 1;
                return;
            }
            i++;
        }
        Fail("unterminated ${", start);
    }

    private static string? ParameterName(ReadOnlySpan<char> inner)
    {
        if (inner.Length > 1 && inner[0] is '#' or '!') inner = inner[1..];
        if (inner.Length == 0) return null;
        var length = 0;
        if (IsNameStart(inner[0]))
            while (length < inner.Length && IsNameChar(inner[length])) length++;
        else if (inner[0] is >= '0' and <= '9')
            while (length < inner.Length && inner[length] is >= '0' and <= '9') length++;
        else if (inner[0] is '@' or '*' or '#' or '?' or '-' or '$' or '!')
            length = 1;
        return length == 0 ? null : inner[..length].ToString();
    }

    private void LexAnsiCQuoted(WordBuilder builder, int start)
    {
        _position = start + 2;
        builder.Open(QuoteKind.AnsiC);
        // Bash truncates the string at a decoded NUL; mirror that so the value matches what runs.
        var truncated = false;
        while (true)
        {
            if (_position >= _source.Length)
            {
                Fail("unterminated $'", start);
                return;
            }
            var c = _source[_position++];
            if (c == '\'') return;
            if (c != '\\' || _position >= _source.Length)
            {
                if (!truncated) builder.Append(c, QuoteKind.AnsiC);
                continue;
            }
            var escape = _source[_position++];
            var value = escape switch
            {
                'a' => 7, 'b' => 8, 'e' or 'E' => 27, 'f' => 12, 'n' => 10, 'r' => 13, 't' => 9, 'v' => 11,
                '\\' or '\'' or '"' or '?' => escape,
                'c' => _position < _source.Length ? _source[_position++] & 0x1f : -1,
                >= '0' and <= '7' => ReadNumber(escape - '0', 8, 2),
                'x' => ReadNumber(0, 16, 2, requireDigit: true),
                'u' => ReadNumber(0, 16, 4, requireDigit: true),
                'U' => ReadNumber(0, 16, 8, requireDigit: true),
                _ => -1,
            };
            if (truncated) continue;
            if (value == 0) truncated = true;
            else if (value < 0)
            {
                builder.Append('\\', QuoteKind.AnsiC);
                builder.Append(escape, QuoteKind.AnsiC);
            }
            else if (value <= 0x10FFFF && value is < 0xD800 or > 0xDFFF)
                builder.Append(char.ConvertFromUtf32(value), QuoteKind.AnsiC);
            else builder.Append('\uFFFD', QuoteKind.AnsiC);
        }
    }

    /// <summary>Reads up to <paramref name="maxDigits"/> more digits; -1 when a required digit is missing.</summary>
    private int ReadNumber(int initial, int radix, int maxDigits, bool requireDigit = false)
    {
        var value = initial;
        var digits = 0;
        while (digits < maxDigits && _position < _source.Length)
        {
            var digit = HexValue(_source[_position]);
            if (digit < 0 || digit >= radix) break;
            value = value * radix + digit;
            _position++;
            digits++;
        }
        if (requireDigit && digits == 0) return -1;
        return radix == 8 ? value & 0xFF : value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private void LexBacktick(WordBuilder builder, bool inDoubleQuotes)
    {
        var open = _position;
        var content = new StringBuilder();
        var i = open + 1;
        while (true)
        {
            if (i >= _source.Length)
            {
                Fail("unterminated backtick", open);
                return;
            }
            var c = _source[i];
            if (c == '`') break;
            if (c == '\\' && i + 1 < _source.Length)
            {
                var escaped = _source[i + 1];
                if (escaped is '`' or '\\' or '$' || (inDoubleQuotes && escaped == '"')) content.Append(escaped);
                else content.Append(c).Append(escaped);
                i += 2;
                continue;
            }
            content.Append(c);
            i++;
        }
        _position = i + 1;
        var outcome = ParseScript(content.ToString(), _baseOffset + open + 1, _depth + 1);
        if (outcome.Problem is { } problem)
        {
            FailAbsolute(problem);
            return;
        }
        builder.Add(new CommandSubstitutionPart(outcome.Value, Backtick: true) { InDoubleQuotes = inDoubleQuotes });
    }

    private void LexProcessSubstitution(WordBuilder builder)
    {
        var start = _position;
        var isInput = _source[start] == '<';
        _position = start + 2;
        builder.Add(new ProcessSubstitutionPart(ParseUntilCloseParen(start, isInput ? "<(" : ">("), isInput));
    }

    /// <summary>Parses the script inside <c>$( … )</c> or <c>&lt;( … )</c> and consumes the closing parenthesis.</summary>
    private ShellScript ParseUntilCloseParen(int openOffset, string opener)
    {
        var savedTestMode = _testMode;
        _testMode = false;
        _substitutionDepth++;
        var body = ParseList(ListEnd.CloseParen, allowEmpty: true, openOffset);
        _substitutionDepth--;
        var close = Peek();
        if (close.IsOperator(")"))
        {
            _hasPeeked = false;
            _lastEnd = close.End;
        }
        else Fail($"unterminated {opener}", openOffset);
        _testMode = savedTestMode;
        return body;
    }
}
