using System.Globalization;

namespace Orchestrator.Core.Shell;

internal sealed partial class ShellSyntaxParser
{
    /// <summary>Tokens that end a command list; which ones apply depends on the enclosing construct.</summary>
    [Flags]
    private enum ListEnd
    {
        None = 0,
        CloseParen = 1,
        CloseBrace = 2,
        Then = 4,
        ElifElseFi = 8,
        Fi = 16,
        Do = 32,
        Done = 64,
        CaseItem = 128,
    }

    private static readonly Redirection StderrToStdout = new(2, ">&", ShellWord.Literal("1"), null, false);

    private ShellScript ParseTopLevel()
    {
        var script = ParseList(ListEnd.None, allowEmpty: true, 0);
        var token = Peek();
        if (token.Kind != ShellTokenKind.EndOfInput) Fail($"unexpected {token.Describe()}", token.Start);
        else if (_pending is { Count: > 0 } pending)
            Fail($"here-document is not terminated by '{pending[0].Delimiter}'", pending[0].OperatorOffset);
        return script;
    }

    private ShellScript ParseList(ListEnd ends, bool allowEmpty, int openOffset)
    {
        if (!EnterNesting(openOffset))
        {
            ExitNesting();
            return ShellScript.Empty;
        }
        var lists = new List<AndOrList>(1);
        SkipNewlines();
        while (true)
        {
            var token = Peek();
            if (token.Kind == ShellTokenKind.EndOfInput || IsListEnd(token, ends)) break;
            var (pipelines, operators) = ParseAndOr();
            token = Peek();
            var background = token.IsOperator("&");
            lists.Add(new AndOrList(pipelines, operators, background));
            if (background || token.IsOperator(";"))
            {
                Consume();
                SkipNewlines();
                continue;
            }
            if (token.Kind != ShellTokenKind.Newline) break;
            SkipNewlines();
        }
        ExitNesting();
        if (!allowEmpty && lists.Count == 0)
        {
            var token = Peek();
            Fail($"expected a command before {token.Describe()}", token.Start);
        }
        return new ShellScript(lists);
    }

    private bool IsListEnd(ShellToken token, ListEnd ends)
    {
        if (token.Kind == ShellTokenKind.Operator)
        {
            return token.Text switch
            {
                ")" => (ends & ListEnd.CloseParen) != 0,
                ";;" or ";&" or ";;&" => (ends & ListEnd.CaseItem) != 0,
                _ => false,
            };
        }
        var end = ReservedWord(token) switch
        {
            "}" => ListEnd.CloseBrace,
            "then" => ListEnd.Then,
            "elif" or "else" => ListEnd.ElifElseFi,
            "fi" => ListEnd.ElifElseFi | ListEnd.Fi,
            "do" => ListEnd.Do,
            "done" => ListEnd.Done,
            "esac" => ListEnd.CaseItem,
            _ => ListEnd.None,
        };
        return (ends & end) != 0;
    }

    /// <summary>The word's text when it is unquoted literal text, which is when it can act as a reserved word.</summary>
    private static string? ReservedWord(ShellToken token) =>
        token.Kind == ShellTokenKind.Word && token.Word!.Parts is [LiteralPart { Quote: QuoteKind.None } literal]
            && ReferenceEquals(literal.Text, token.Text) ? token.Text : null;

    private void SkipNewlines()
    {
        while (Peek().Kind == ShellTokenKind.Newline) Consume();
    }

    private (IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<string> Operators) ParseAndOr()
    {
        var pipelines = new List<Pipeline>(1) { ParsePipeline() };
        List<string>? operators = null;
        while (Peek() is { Kind: ShellTokenKind.Operator, Text: "&&" or "||" } token)
        {
            Consume();
            SkipNewlines();
            (operators ??= []).Add(token.Text);
            pipelines.Add(ParsePipeline());
        }
        return (pipelines, operators ?? (IReadOnlyList<string>)[]);
    }

    private Pipeline ParsePipeline()
    {
        var negated = false;
        while (ReservedWord(Peek()) == "!")
        {
            Consume();
            negated = !negated;
        }
        var commands = new List<ShellCommand>(1);
        while (true)
        {
            if (ParseCommand() is { } command) commands.Add(command);
            if (Peek() is not { Kind: ShellTokenKind.Operator, Text: "|" or "|&" }) break;
            Consume();
            SkipNewlines();
        }
        return new Pipeline(commands, negated);
    }

    private ShellCommand? ParseCommand()
    {
        var token = Peek();
        if (token.IsOperator("("))
        {
            if (At(token.End) == '(')
            {
                Fail("arithmetic command (( )) is not supported", token.Start);
                return null;
            }
            Consume();
            var body = ParseList(ListEnd.CloseParen, allowEmpty: false, token.Start);
            if (!Expect(")", "missing ')'", token.Start)) return null;
            return new Subshell(body, ParseTrailingRedirections());
        }
        switch (ReservedWord(token))
        {
            case "{": return ParseBraceGroup();
            case "if": return ParseIf();
            case "for": return ParseFor();
            case "while" or "until": return ParseWhile();
            case "case": return ParseCase();
            case "[[": return ParseTest();
            case "function" or "select" or "coproc":
                Fail($"'{token.Text}' is not supported", token.Start);
                return null;
            case "}" or "then" or "elif" or "else" or "fi" or "do" or "done" or "esac" or "in" or "]]":
                Fail($"unexpected '{token.Text}'", token.Start);
                return null;
        }
        return ParseSimpleCommand();
    }

    private SimpleCommand? ParseSimpleCommand()
    {
        var first = Peek();
        List<Assignment>? assignments = null;
        List<ShellWord>? words = null;
        List<Redirection>? redirections = null;
        while (true)
        {
            var token = Peek();
            if (token.Kind == ShellTokenKind.Word)
            {
                Consume();
                if (words is null && TryReadAssignment(token) is { } assignment)
                {
                    (assignments ??= []).Add(assignment);
                    if (At(token.End) == '(') Fail("array assignment is not supported", token.End);
                    continue;
                }
                if (words is null && StartsWithSubscript(token.Text, out var closed))
                {
                    // Before the command name bash reads name[ … ] as one word even across blanks and ';',
                    // so an unclosed subscript hides the rest of the line inside that word.
                    if (!closed) Fail("array subscript spanning several words is not supported", token.Start);
                    else if (token.Text.Contains("]=", StringComparison.Ordinal) || token.Text.Contains("]+=", StringComparison.Ordinal))
                        Fail("array element assignment is not supported", token.Start);
                }
                (words ??= []).Add(token.Word!);
                continue;
            }
            if (IsRedirectionStart(token))
            {
                if (ParseRedirection() is { } redirection) (redirections ??= []).Add(redirection);
                continue;
            }
            if (token.IsOperator("("))
            {
                var definesFunction = words is { Count: 1 } && assignments is null;
                Fail(definesFunction ? "function definition is not supported" : "unexpected '('", token.Start);
            }
            break;
        }
        if (assignments is null && words is null && redirections is null)
        {
            Fail($"expected a command before {first.Describe()}", first.Start);
            return null;
        }
        if (Peek().IsOperator("|&")) (redirections ??= []).Add(StderrToStdout);
        var start = first.Start;
        var end = Math.Max(_lastEnd, start);
        return new SimpleCommand(
            assignments ?? (IReadOnlyList<Assignment>)[],
            words ?? (IReadOnlyList<ShellWord>)[],
            redirections ?? (IReadOnlyList<Redirection>)[],
            _baseOffset + start,
            _baseOffset + end,
            _source.Substring(start, end - start));
    }

    private static Assignment? TryReadAssignment(ShellToken token)
    {
        var parts = token.Word!.Parts;
        if (parts[0] is not LiteralPart { Quote: QuoteKind.None } head) return null;
        var text = head.Text;
        if (text.Length == 0 || !IsNameStart(text[0])) return null;
        var nameEnd = 1;
        while (nameEnd < text.Length && IsNameChar(text[nameEnd])) nameEnd++;
        bool append;
        int valueStart;
        if (nameEnd < text.Length && text[nameEnd] == '=')
        {
            append = false;
            valueStart = nameEnd + 1;
        }
        else if (nameEnd + 1 < text.Length && text[nameEnd] == '+' && text[nameEnd + 1] == '=')
        {
            append = true;
            valueStart = nameEnd + 2;
        }
        else return null;

        var valueParts = new List<WordPart>(parts.Count);
        if (valueStart < text.Length) valueParts.Add(new LiteralPart(text[valueStart..], QuoteKind.None));
        for (var i = 1; i < parts.Count; i++) valueParts.Add(parts[i]);
        if (valueParts.Count == 0) valueParts.Add(new LiteralPart("", QuoteKind.None));
        var raw = token.Text[(token.Text.IndexOf('=') + 1)..];
        return new Assignment(text[..nameEnd], new ShellWord(valueParts, raw), append);
    }

    /// <summary>Whether the word starts with <c>name[</c>, and whether a <c>]</c> follows within the word.</summary>
    private static bool StartsWithSubscript(string text, out bool closed)
    {
        closed = false;
        if (text.Length == 0 || !IsNameStart(text[0])) return false;
        var i = 1;
        while (i < text.Length && IsNameChar(text[i])) i++;
        if (i >= text.Length || text[i] != '[') return false;
        closed = text.IndexOf(']', i) >= 0;
        return true;
    }

    private static bool IsRedirectionStart(ShellToken token) => token.Kind switch
    {
        ShellTokenKind.IoNumber or ShellTokenKind.IoVariable => true,
        ShellTokenKind.Operator => IsRedirectionOperator(token.Text),
        _ => false,
    };

    private static bool IsRedirectionOperator(string text) =>
        text is "<" or ">" or ">>" or ">|" or "<>" or "<<" or "<<-" or "<<<" or ">&" or "<&" or "&>" or "&>>";

    private Redirection? ParseRedirection()
    {
        var token = Consume();
        int? fd = null;
        if (token.Kind == ShellTokenKind.IoVariable)
        {
            Fail("{variable} redirections are not supported", token.Start);
            return null;
        }
        if (token.Kind == ShellTokenKind.IoNumber)
        {
            if (token.Text.Length > 9)
            {
                Fail("file descriptor number is too large", token.Start);
                return null;
            }
            fd = int.Parse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture);
            token = Consume();
        }
        if (token.Kind != ShellTokenKind.Operator || !IsRedirectionOperator(token.Text))
        {
            Fail($"expected a redirection operator before {token.Describe()}", token.Start);
            return null;
        }
        var target = Peek();
        if (target.Kind != ShellTokenKind.Word)
        {
            Fail($"expected a redirection target after '{token.Text}'", target.Start);
            return null;
        }
        Consume();
        if (token.Text is "<<" or "<<-") return CompleteHereDoc(fd, token.Text, token.Start, target);
        return new Redirection(fd, token.Text, target.Word, null, false);
    }

    private IReadOnlyList<Redirection> ParseTrailingRedirections()
    {
        List<Redirection>? redirections = null;
        while (IsRedirectionStart(Peek()))
            if (ParseRedirection() is { } redirection) (redirections ??= []).Add(redirection);
        if (Peek().IsOperator("|&")) (redirections ??= []).Add(StderrToStdout);
        return redirections ?? (IReadOnlyList<Redirection>)[];
    }

    private bool Expect(string operatorText, string problem, int offset)
    {
        if (Peek().IsOperator(operatorText))
        {
            Consume();
            return true;
        }
        Fail(problem, ProblemOffset(offset));
        return false;
    }

    private bool ExpectReserved(string word, int offset)
    {
        if (AcceptReserved(word)) return true;
        Fail($"expected '{word}'", ProblemOffset(offset));
        return false;
    }

    private bool AcceptReserved(string word)
    {
        if (ReservedWord(Peek()) != word) return false;
        Consume();
        return true;
    }

    /// <summary>Where to report a missing token: at the offending token, or at the opener when input simply ran out.</summary>
    private int ProblemOffset(int openerOffset)
    {
        var token = Peek();
        return token.Kind == ShellTokenKind.EndOfInput ? openerOffset : token.Start;
    }
}
