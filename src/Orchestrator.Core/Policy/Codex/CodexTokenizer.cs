using System.Globalization;
using System.Text;

namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Splits <c>.rules</c> text into tokens. Problems (unterminated strings, bad escapes, stray characters)
/// become <see cref="CodexTokenKind.Error"/> tokens so the parser can report them and carry on.
/// The token list always ends with one <see cref="CodexTokenKind.EndOfFile"/> token.
/// </summary>
internal sealed class CodexTokenizer
{
    private readonly string _text;
    private readonly List<CodexToken> _tokens = [];
    private int _position;
    private int _line = 1;
    private int _column = 1;

    private CodexTokenizer(string text) => _text = text;

    public static IReadOnlyList<CodexToken> Tokenize(string text)
    {
        var tokenizer = new CodexTokenizer(text);
        tokenizer.Run();
        return tokenizer._tokens;
    }

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private bool AtEnd => _position >= _text.Length;

    private char Peek(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

    private void Run()
    {
        while (true)
        {
            SkipWhitespaceAndComments();
            if (AtEnd)
            {
                _tokens.Add(new CodexToken(CodexTokenKind.EndOfFile, "", _line, _column));
                return;
            }

            int line = _line, column = _column;
            var c = Current;
            if (IsStringStart())
            {
                _tokens.Add(ReadString());
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                _tokens.Add(new CodexToken(CodexTokenKind.Identifier, ReadWhile(IsIdentifierPart), line, column));
            }
            else if (char.IsAsciiDigit(c))
            {
                _tokens.Add(new CodexToken(CodexTokenKind.Number, ReadWhile(ch => IsIdentifierPart(ch) || ch == '.'), line, column));
            }
            else
            {
                var kind = c switch
                {
                    '(' => CodexTokenKind.LeftParen,
                    ')' => CodexTokenKind.RightParen,
                    '[' => CodexTokenKind.LeftBracket,
                    ']' => CodexTokenKind.RightBracket,
                    ',' => CodexTokenKind.Comma,
                    '=' => CodexTokenKind.Equals,
                    _ => CodexTokenKind.Error,
                };
                var text = kind == CodexTokenKind.Error ? $"unexpected character {DescribeChar(c)}" : c.ToString();
                Advance();
                _tokens.Add(new CodexToken(kind, text, line, column));
            }
        }
    }

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string DescribeChar(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
            ? $"U+{(int)c:X4}"
            : $"'{c}'";

    private bool IsStringStart()
    {
        var c = Current;
        return c is '"' or '\'' || (c is 'r' or 'R' && Peek(1) is '"' or '\'');
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        var start = _position;
        while (!AtEnd && predicate(Current))
        {
            Advance();
        }

        return _text[start.._position];
    }

    /// <summary>Moves past one character, treating \r\n, \n and \r each as one line break.</summary>
    private void Advance()
    {
        var c = _text[_position++];
        if (c == '\r' && Current == '\n')
        {
            _position++;
        }

        if (c is '\n' or '\r')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
    }

    private static bool IsNewline(char c) => c is '\n' or '\r';

    private void SkipWhitespaceAndComments()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c is ' ' or '\t' or '\f' || IsNewline(c))
            {
                Advance();
            }
            else if (c == '#')
            {
                while (!AtEnd && !IsNewline(Current))
                {
                    Advance();
                }
            }
            else if (c == '\\' && IsNewline(Peek(1)))
            {
                Advance();
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private CodexToken ReadString()
    {
        int line = _line, column = _column;
        var raw = false;
        if (Current is 'r' or 'R')
        {
            raw = true;
            Advance();
        }

        var quote = Current;
        var triple = Peek(1) == quote && Peek(2) == quote;
        for (var i = 0; i < (triple ? 3 : 1); i++)
        {
            Advance();
        }

        var value = new StringBuilder();
        string? escapeError = null;
        int escapeLine = 0, escapeColumn = 0;
        while (true)
        {
            if (AtEnd || (!triple && IsNewline(Current)))
            {
                SkipRestOfLine();
                return new CodexToken(CodexTokenKind.Error, "unterminated string literal", line, column);
            }

            var c = Current;
            if (c == quote && (!triple || (Peek(1) == quote && Peek(2) == quote)))
            {
                for (var i = 0; i < (triple ? 3 : 1); i++)
                {
                    Advance();
                }

                return escapeError is null
                    ? new CodexToken(CodexTokenKind.String, value.ToString(), line, column)
                    : new CodexToken(CodexTokenKind.Error, escapeError, escapeLine, escapeColumn);
            }

            if (c != '\\')
            {
                value.Append(c == '\r' ? '\n' : c);
                Advance();
                continue;
            }

            int backslashLine = _line, backslashColumn = _column;
            Advance();
            if (AtEnd)
            {
                continue;
            }

            if (raw)
            {
                value.Append('\\');
                if (!IsNewline(Current) || triple)
                {
                    value.Append(Current == '\r' ? '\n' : Current);
                    Advance();
                }

                continue;
            }

            var error = ReadEscape(value);
            if (error is not null && escapeError is null)
            {
                (escapeError, escapeLine, escapeColumn) = (error, backslashLine, backslashColumn);
            }
        }
    }

    private void SkipRestOfLine()
    {
        while (!AtEnd && !IsNewline(Current))
        {
            Advance();
        }
    }

    /// <summary>Decodes the escape after a backslash into <paramref name="value"/>; returns an error message for an invalid one.</summary>
    private string? ReadEscape(StringBuilder value)
    {
        var c = Current;
        switch (c)
        {
            case '\n':
            case '\r':
                Advance();
                return null;
            case '\\': value.Append('\\'); Advance(); return null;
            case '\'': value.Append('\''); Advance(); return null;
            case '"': value.Append('"'); Advance(); return null;
            case 'n': value.Append('\n'); Advance(); return null;
            case 't': value.Append('\t'); Advance(); return null;
            case 'r': value.Append('\r'); Advance(); return null;
            case 'a': value.Append('\a'); Advance(); return null;
            case 'b': value.Append('\b'); Advance(); return null;
            case 'f': value.Append('\f'); Advance(); return null;
            case 'v': value.Append('\v'); Advance(); return null;
            case 'x': return ReadHexEscape(value, 2);
            case 'u': return ReadHexEscape(value, 4);
            case 'U': return ReadHexEscape(value, 8);
        }

        if (c is >= '0' and <= '7')
        {
            var code = 0;
            for (var i = 0; i < 3 && Current is >= '0' and <= '7'; i++)
            {
                code = (code * 8) + (Current - '0');
                Advance();
            }

            value.Append((char)code);
            return null;
        }

        if (IsNewline(c))
        {
            return null;
        }

        Advance();
        return $"invalid escape sequence \\{c}";
    }

    private string? ReadHexEscape(StringBuilder value, int digits)
    {
        var letter = Current;
        Advance();
        var start = _position;
        for (var i = 0; i < digits && char.IsAsciiHexDigit(Current); i++)
        {
            Advance();
        }

        var hex = _text[start.._position];
        if (hex.Length != digits)
        {
            return $"invalid escape sequence \\{letter}{hex}: expected {digits} hexadecimal digits";
        }

        var code = int.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            return $"invalid escape sequence \\{letter}{hex}: not a Unicode scalar value";
        }

        value.Append(char.ConvertFromUtf32(code));
        return null;
    }
}
