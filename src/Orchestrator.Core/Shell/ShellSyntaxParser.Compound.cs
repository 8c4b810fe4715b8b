using System.Globalization;

namespace Orchestrator.Core.Shell;

/// <summary>Compound commands: brace groups, if, while/until, for, case and [[ … ]].</summary>
internal sealed partial class ShellSyntaxParser
{
    private BraceGroup? ParseBraceGroup()
    {
        var open = Consume();
        var body = ParseList(ListEnd.CloseBrace, allowEmpty: false, open.Start);
        if (!ExpectReserved("}", open.Start)) return null;
        return new BraceGroup(body, ParseTrailingRedirections());
    }

    private IfCommand? ParseIf()
    {
        var open = Consume();
        var branches = new List<IfBranch>(1);
        do
        {
            var condition = ParseList(ListEnd.Then, allowEmpty: false, open.Start);
            if (!ExpectReserved("then", open.Start)) return null;
            var body = ParseList(ListEnd.ElifElseFi, allowEmpty: false, open.Start);
            branches.Add(new IfBranch(condition, body));
        } while (AcceptReserved("elif"));
        ShellScript? otherwise = null;
        if (AcceptReserved("else")) otherwise = ParseList(ListEnd.Fi, allowEmpty: false, open.Start);
        if (!ExpectReserved("fi", open.Start)) return null;
        return new IfCommand(branches, otherwise, ParseTrailingRedirections());
    }

    private WhileCommand? ParseWhile()
    {
        var open = Consume();
        var condition = ParseList(ListEnd.Do, allowEmpty: false, open.Start);
        if (!ExpectReserved("do", open.Start)) return null;
        var body = ParseList(ListEnd.Done, allowEmpty: false, open.Start);
        if (!ExpectReserved("done", open.Start)) return null;
        return new WhileCommand(condition, body, Until: open.Text == "until", ParseTrailingRedirections());
    }

    private ForCommand? ParseFor()
    {
        var open = Consume();
        var name = Peek();
        if (name.IsOperator("("))
        {
            Fail("arithmetic for loop is not supported", name.Start);
            return null;
        }
        if (name.Kind != ShellTokenKind.Word || !IsName(name.Text))
        {
            Fail("expected a loop variable name after 'for'", ProblemOffset(open.Start));
            return null;
        }
        Consume();
        SkipNewlines();
        List<ShellWord>? words = null;
        if (AcceptReserved("in"))
        {
            words = [];
            while (Peek().Kind == ShellTokenKind.Word) words.Add(Consume().Word!);
            var separator = Peek();
            if (!separator.IsOperator(";") && separator.Kind != ShellTokenKind.Newline)
            {
                Fail($"expected ';' or a newline before {separator.Describe()}", ProblemOffset(open.Start));
                return null;
            }
            Consume();
        }
        else if (Peek().IsOperator(";")) Consume();
        SkipNewlines();
        if (!ExpectReserved("do", open.Start)) return null;
        var body = ParseList(ListEnd.Done, allowEmpty: false, open.Start);
        if (!ExpectReserved("done", open.Start)) return null;
        return new ForCommand(name.Text, words, body, ParseTrailingRedirections());
    }

    private CaseCommand? ParseCase()
    {
        var open = Consume();
        var subject = Peek();
        if (subject.Kind != ShellTokenKind.Word)
        {
            Fail("expected a word after 'case'", ProblemOffset(open.Start));
            return null;
        }
        Consume();
        SkipNewlines();
        if (!ExpectReserved("in", open.Start)) return null;
        SkipNewlines();
        var items = new List<CaseItem>();
        while (!AcceptReserved("esac"))
        {
            if (Peek().IsOperator("(")) Consume();
            var patterns = new List<ShellWord>(1);
            while (true)
            {
                var pattern = Peek();
                if (pattern.Kind != ShellTokenKind.Word)
                {
                    Fail($"expected a case pattern before {pattern.Describe()}", ProblemOffset(open.Start));
                    return null;
                }
                Consume();
                patterns.Add(pattern.Word!);
                if (!Peek().IsOperator("|")) break;
                Consume();
            }
            if (!Expect(")", "expected ')' after a case pattern", open.Start)) return null;
            var body = ParseList(ListEnd.CaseItem, allowEmpty: true, open.Start);
            var terminator = Peek();
            if (terminator is { Kind: ShellTokenKind.Operator, Text: ";;" or ";&" or ";;&" })
            {
                Consume();
                items.Add(new CaseItem(patterns, body, terminator.Text));
                SkipNewlines();
                continue;
            }
            if (!ExpectReserved("esac", open.Start)) return null;
            items.Add(new CaseItem(patterns, body, ""));
            break;
        }
        return new CaseCommand(subject.Word!, items, ParseTrailingRedirections());
    }

    private TestCommand? ParseTest()
    {
        var open = Consume();
        var words = new List<ShellWord>();
        _testMode = true;
        var closed = false;
        while (!closed)
        {
            var token = Peek();
            switch (token.Kind)
            {
                case ShellTokenKind.Newline:
                    Consume();
                    continue;
                case ShellTokenKind.Word when ReservedWord(token) == "]]":
                    Consume();
                    closed = true;
                    continue;
                case ShellTokenKind.Word:
                    words.Add(Consume().Word!);
                    continue;
                case ShellTokenKind.Operator when token.Text is "&&" or "||" or "(" or ")" or "<" or ">":
                    Consume();
                    words.Add(ShellWord.Literal(token.Text));
                    continue;
            }
            _testMode = false;
            Fail(token.Kind == ShellTokenKind.EndOfInput ? "missing ']]'" : $"unexpected {token.Describe()} inside [[ ]]",
                ProblemOffset(open.Start));
            return null;
        }
        _testMode = false;
        return new TestCommand(words, ParseTrailingRedirections());
    }
}
