using System.Text;

namespace Orchestrator.Core.Shell;

internal sealed partial class ShellSyntaxParser
{
    private Redirection? CompleteHereDoc(int? fd, string op, int operatorOffset, ShellToken delimiterToken)
    {
        var delimiter = delimiterToken.Word!;
        if (delimiter.StaticValue is not { } delimiterText)
        {
            Fail("here-document delimiter containing an expansion is not supported", delimiterToken.Start);
            return null;
        }
        var expands = true;
        foreach (var part in delimiter.Parts)
            if (part is LiteralPart { Quote: not QuoteKind.None }) expands = false;

        (_pending ??= []).Add(new PendingHereDoc(delimiterText, op == "<<-", expands, operatorOffset, _substitutionDepth));
        if (_knownBodies is null || !_knownBodies.TryGetValue(operatorOffset, out var body))
        {
            _bodiesMissing = true;
            return new Redirection(fd, op, delimiter, null, expands);
        }
        ShellWord? content = null;
        if (expands)
        {
            var outcome = ParseHereDocContent(body.Text, _baseOffset + body.Start, _depth + 1);
            if (outcome.Problem is { } problem) FailAbsolute(problem);
            content = outcome.Value;
        }
        return new Redirection(fd, op, delimiter, body.Text, expands) { HereDocContent = content };
    }

    private void ReadPendingHereDocBodies()
    {
        if (_pending is not { Count: > 0 }) return;
        var line = new StringBuilder();
        foreach (var pending in _pending)
        {
            // A newline inside $( ) does not start the bodies of here-documents opened outside it.
            if (pending.SubstitutionDepth < _substitutionDepth) continue;
            var bodyStart = _position;
            var body = new StringBuilder();
            while (true)
            {
                if (_position >= _source.Length)
                {
                    Fail($"here-document is not terminated by '{pending.Delimiter}'", pending.OperatorOffset);
                    return;
                }
                ReadHereDocLine(pending, line);
                var text = line.ToString();
                var content = pending.StripTabs ? text.TrimStart('\t') : text;
                if (content == pending.Delimiter) break;
                body.Append(content);
                if (_position <= _source.Length && _source[_position - 1] == '\n') body.Append('\n');
            }
            (_readBodies ??= [])[pending.OperatorOffset] = new HereDocBody(body.ToString(), bodyStart);
        }
        _pending.RemoveAll(pending => pending.SubstitutionDepth >= _substitutionDepth);
    }

    /// <summary>
    /// Reads one logical line (without its newline) into <paramref name="line"/>. In an expanding here-document
    /// a backslash before the newline joins the next line, and the joined line is what bash compares with the
    /// delimiter, so a delimiter split across lines still ends the body.
    /// </summary>
    private void ReadHereDocLine(PendingHereDoc pending, StringBuilder line)
    {
        line.Clear();
        while (true)
        {
            var lineEnd = _source.IndexOf('\n', _position);
            if (lineEnd < 0) lineEnd = _source.Length;
            var trailingBackslashes = 0;
            while (lineEnd - trailingBackslashes > _position && _source[lineEnd - trailingBackslashes - 1] == '\\')
                trailingBackslashes++;
            // An even run of backslashes is escaped backslashes, not a continuation (checked against bash 5).
            if (!pending.Expands || trailingBackslashes % 2 == 0 || lineEnd == _source.Length)
            {
                line.Append(_source, _position, lineEnd - _position);
                _position = lineEnd < _source.Length ? lineEnd + 1 : lineEnd;
                return;
            }
            line.Append(_source, _position, lineEnd - _position - 1);
            _position = lineEnd + 1;
        }
    }

    /// <summary>Lexes a whole here-document body: like double quotes, except that <c>"</c> is ordinary.</summary>
    private ShellWord LexHereDocContent()
    {
        var builder = RentBuilder();
        builder.Open(QuoteKind.Double);
        LexDoubleQuotedContent(builder, hereDoc: true, openOffset: 0);
        var word = builder.Build(_source);
        ReturnBuilder();
        return word;
    }
}
