using System.Runtime.CompilerServices;

namespace Orchestrator.Core.Shell;

/// <summary>
/// Hand-written recursive-descent bash parser working directly over the source string with one token of
/// lookahead. On the first problem it records it and then behaves as if the input ended, so every loop
/// unwinds quickly without exceptions.
/// </summary>
internal sealed partial class ShellSyntaxParser
{
    private readonly string _source;
    private readonly int _baseOffset;
    private readonly IReadOnlyDictionary<int, HereDocBody>? _knownBodies;
    private readonly WordBuilderStack _builders = WordBuilderStack.ForCurrentThread;
    private Dictionary<int, HereDocBody>? _readBodies;
    private List<PendingHereDoc>? _pending;
    private bool _bodiesMissing;
    private int _depth;
    private int _substitutionDepth;
    private int _position;
    private int _lastEnd;
    private ShellToken _peeked;
    private bool _hasPeeked;
    private bool _testMode;
    private ShellParseProblem? _problem;

    private ShellSyntaxParser(string source, int baseOffset, int depth, IReadOnlyDictionary<int, HereDocBody>? knownBodies)
    {
        _source = source;
        _baseOffset = baseOffset;
        _depth = depth;
        _knownBodies = knownBodies;
    }

    public static ShellParseOutcome<ShellScript> ParseScript(string source, int baseOffset, int depth) =>
        Run(source, baseOffset, depth, static parser => parser.ParseTopLevel());

    private static ShellParseOutcome<ShellWord> ParseHereDocContent(string body, int baseOffset, int depth) =>
        Run(body, baseOffset, depth, static parser => parser.LexHereDocContent());

    // Here-document bodies follow the line that introduces them, after the AST node that needs them has been
    // built. Rather than mutating finished nodes, a source with here-documents is parsed twice: the first pass
    // records every body by its operator offset, the second builds the tree with the bodies in place.
    private static ShellParseOutcome<T> Run<T>(string source, int baseOffset, int depth, Func<ShellSyntaxParser, T> parse)
    {
        var first = new ShellSyntaxParser(source, baseOffset, depth, null);
        var value = parse(first);
        if (first._problem is not null || !first._bodiesMissing) return new(value, first._problem);
        var second = new ShellSyntaxParser(source, baseOffset, depth, first._readBodies);
        value = parse(second);
        return new(value, second._problem);
    }

    private void Fail(string message, int localOffset) => FailAbsolute(new ShellParseProblem(message, _baseOffset + localOffset));

    private void FailAbsolute(ShellParseProblem problem)
    {
        _problem ??= problem;
        _hasPeeked = false;
        _position = _source.Length;
    }

    private bool EnterNesting(int localOffset)
    {
        _depth++;
        if (_depth > ShellParser.MaxNestingDepth)
        {
            Fail($"nesting deeper than {ShellParser.MaxNestingDepth} levels", localOffset);
            return false;
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Fail("nesting too deep for the available stack", localOffset);
            return false;
        }
        return true;
    }

    private void ExitNesting() => _depth--;

    private ShellToken Peek()
    {
        if (_problem is not null) return new ShellToken(ShellTokenKind.EndOfInput, _source.Length, _source.Length, "", null);
        if (!_hasPeeked)
        {
            _peeked = Lex();
            _hasPeeked = _problem is null;
            if (_problem is not null) return new ShellToken(ShellTokenKind.EndOfInput, _source.Length, _source.Length, "", null);
        }
        return _peeked;
    }

    private ShellToken Consume()
    {
        var token = Peek();
        _hasPeeked = false;
        if (token.Kind == ShellTokenKind.EndOfInput) return token;
        _lastEnd = token.End;
        if (token.Kind == ShellTokenKind.Newline) ReadPendingHereDocBodies();
        return token;
    }

    private char At(int index) => index < _source.Length ? _source[index] : '\0';

    private WordBuilder RentBuilder() => _builders.Rent();

    private void ReturnBuilder() => _builders.Return();

    private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsNameChar(char c) => IsNameStart(c) || c is >= '0' and <= '9';

    private static bool IsName(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || !IsNameStart(text[0])) return false;
        foreach (var c in text)
            if (!IsNameChar(c)) return false;
        return true;
    }
}
