using System.Text;

namespace Orchestrator.Core.Shell;

/// <summary>Expansions inside words: parameters, arithmetic, command and process substitutions.</summary>
internal sealed partial class ShellSyntaxParser
{
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
