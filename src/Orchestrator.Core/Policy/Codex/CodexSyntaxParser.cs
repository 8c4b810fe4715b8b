namespace Orchestrator.Core.Policy.Codex;

/// <summary>
/// Parses the statement structure of a <c>.rules</c> file: a sequence of top-level calls (prefix_rule, host_executable,
/// network_rule) with keyword or positional arguments whose values are strings, lists or other simple literals. On a
/// syntax error it records the error, skips to the next top-level statement (an identifier at column 1) and continues.
/// </summary>
internal sealed class CodexSyntaxParser
{
    public const string RuleFunction = "prefix_rule";
    private static readonly string[] Functions = [RuleFunction, "host_executable", "network_rule"];
    private const int MaxListNesting = 32;

    private readonly IReadOnlyList<CodexToken> _tokens;
    private readonly string _path;
    private readonly List<PolicyLoadError> _errors = [];
    private readonly List<CodexCall> _calls = [];
    private int _index;

    private CodexSyntaxParser(IReadOnlyList<CodexToken> tokens, string path)
    {
        _tokens = tokens;
        _path = path;
    }

    public static (IReadOnlyList<CodexCall> Calls, IReadOnlyList<PolicyLoadError> Errors) Parse(string text, string path)
    {
        var parser = new CodexSyntaxParser(CodexTokenizer.Tokenize(text), path);
        parser.ParseFile();
        return (parser._calls, parser._errors);
    }

    private CodexToken Current => _tokens[_index];

    private SourceLocation LocationOf(CodexToken token) => new(_path, token.Line, token.Column);

    private void ParseFile()
    {
        while (Current.Kind != CodexTokenKind.EndOfFile)
        {
            var statementStart = _index;
            try
            {
                _calls.Add(ParseStatement());
            }
            catch (CodexSyntaxError error)
            {
                _errors.Add(new PolicyLoadError(LocationOf(_tokens[error.TokenIndex]), error.Message));
                Recover(statementStart, error.TokenIndex);
            }
        }
    }

    /// <summary>Moves to the next identifier at column 1 (a new top-level statement), never staying on the failed statement's first token.</summary>
    private void Recover(int statementStart, int errorIndex)
    {
        var index = Math.Max(errorIndex, statementStart + 1);
        if (index - 1 > statementStart && IsStatementStart(_tokens[index - 1]))
        {
            index--;
        }

        while (_tokens[index].Kind != CodexTokenKind.EndOfFile && !IsStatementStart(_tokens[index]))
        {
            index++;
        }

        _index = index;
    }

    private static bool IsStatementStart(CodexToken token) => token.Kind == CodexTokenKind.Identifier && token.Column == 1;

    private CodexSyntaxError ErrorAtCurrent(string expected) =>
        Current.Kind == CodexTokenKind.Error
            ? new CodexSyntaxError(_index, Current.Text)
            : new CodexSyntaxError(_index, $"unexpected {Current.Describe()}; expected {expected}");

    private CodexToken Expect(CodexTokenKind kind, string expected)
    {
        if (Current.Kind != kind)
        {
            throw ErrorAtCurrent(expected);
        }

        return _tokens[_index++];
    }

    private CodexCall ParseStatement()
    {
        var nameIndex = _index;
        var name = Expect(CodexTokenKind.Identifier, $"a {RuleFunction}(...) call");
        if (name.Column != 1)
        {
            throw new CodexSyntaxError(nameIndex, "unexpected indentation; top-level statements must start at column 1");
        }

        Expect(CodexTokenKind.LeftParen, $"\"(\" after {name.Text}");
        if (!Functions.Contains(name.Text, StringComparer.Ordinal))
        {
            throw new CodexSyntaxError(nameIndex,
                $"unknown function \"{name.Text}\"; only prefix_rule(...), host_executable(...) and network_rule(...) are supported");
        }

        var arguments = new List<CodexArgument>();
        while (Current.Kind != CodexTokenKind.RightParen)
        {
            if (!IsValueStart(Current.Kind))
            {
                throw ErrorAtCurrent("a keyword argument or \")\"");
            }

            arguments.Add(ParseArgument());
            if (Current.Kind == CodexTokenKind.Comma)
            {
                _index++;
            }
            else if (Current.Kind != CodexTokenKind.RightParen)
            {
                throw ErrorAtCurrent("\",\" or \")\"");
            }
        }

        var close = _tokens[_index++];
        if (Current.Kind != CodexTokenKind.EndOfFile && Current.Line == close.Line)
        {
            throw ErrorAtCurrent($"a new line after {name.Text}(...)");
        }

        return new CodexCall(name.Text, LocationOf(name), arguments);
    }

    private static bool IsValueStart(CodexTokenKind kind) =>
        kind is CodexTokenKind.Identifier or CodexTokenKind.String or CodexTokenKind.Number or CodexTokenKind.LeftBracket;

    private CodexArgument ParseArgument()
    {
        if (Current.Kind == CodexTokenKind.Identifier && _tokens[_index + 1].Kind == CodexTokenKind.Equals)
        {
            var name = _tokens[_index];
            _index += 2;
            return new CodexArgument(name.Text, LocationOf(name), ParseValue(0));
        }

        return new CodexArgument(null, null, ParseValue(0));
    }

    private CodexValue ParseValue(int depth)
    {
        var token = Current;
        var location = LocationOf(token);
        switch (token.Kind)
        {
            case CodexTokenKind.String:
                _index++;
                return new CodexStringValue(token.Text, location);
            case CodexTokenKind.Number:
                _index++;
                return new CodexOtherValue($"number {token.Text}", location);
            case CodexTokenKind.Identifier:
                _index++;
                return new CodexOtherValue(token.Text switch
                {
                    "True" or "False" => $"boolean {token.Text}",
                    "None" => "None",
                    _ => $"name {token.Text}",
                }, location);
            case CodexTokenKind.LeftBracket:
                if (depth >= MaxListNesting)
                {
                    throw new CodexSyntaxError(_index, $"lists nested more than {MaxListNesting} deep");
                }

                _index++;
                return ParseListRest(depth, location);
            default:
                throw ErrorAtCurrent("a value (string or list)");
        }
    }

    private CodexListValue ParseListRest(int depth, SourceLocation location)
    {
        var items = new List<CodexValue>();
        while (Current.Kind != CodexTokenKind.RightBracket)
        {
            items.Add(ParseValue(depth + 1));
            if (Current.Kind == CodexTokenKind.Comma)
            {
                _index++;
            }
            else if (Current.Kind != CodexTokenKind.RightBracket)
            {
                throw ErrorAtCurrent("\",\" or \"]\"");
            }
        }

        _index++;
        return new CodexListValue(items, location);
    }
}
