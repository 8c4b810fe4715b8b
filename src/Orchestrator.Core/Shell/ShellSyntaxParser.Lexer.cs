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
}
