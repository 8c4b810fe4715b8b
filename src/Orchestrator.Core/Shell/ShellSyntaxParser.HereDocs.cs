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

        (_pending ??= []).Add(new PendingHereDoc(delimiterText, op == "<<-", operatorOffset));
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
        foreach (var pending in _pending)
        {
            var bodyStart = _position;
            var body = new StringBuilder();
            while (true)
            {
                if (_position >= _source.Length)
                {
                    Fail($"here-document is not terminated by '{pending.Delimiter}'", pending.OperatorOffset);
                    return;
                }
                var lineEnd = _source.IndexOf('\n', _position);
                if (lineEnd < 0) lineEnd = _source.Length;
                var lineStart = _position;
                if (pending.StripTabs)
                    while (lineStart < lineEnd && _source[lineStart] == '\t') lineStart++;
                var next = lineEnd < _source.Length ? lineEnd + 1 : lineEnd;
                _position = next;
                if (_source.AsSpan(lineStart, lineEnd - lineStart).SequenceEqual(pending.Delimiter)) break;
                body.Append(_source, lineStart, next - lineStart);
            }
            (_readBodies ??= [])[pending.OperatorOffset] = new HereDocBody(body.ToString(), bodyStart);
        }
        _pending.Clear();
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
