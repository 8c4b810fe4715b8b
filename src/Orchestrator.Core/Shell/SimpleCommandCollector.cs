namespace Orchestrator.Core.Shell;

/// <summary>
/// Flattens every simple command reachable from a script, including those inside expansions; on the way it keeps the
/// pipelines of more than one command and the redirections of compound commands (<c>{ …; } &gt; f</c>, <c>done &lt; f</c>).
/// </summary>
internal static class SimpleCommandCollector
{
    public sealed record Result(IReadOnlyList<SimpleCommand> Commands, IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<Redirection> CompoundRedirections,
        IReadOnlyList<ValueEvaluation> ValueEvaluations, IReadOnlyList<string> BashOnlySyntax);

    /// <summary>What one walk gathers; the lists beyond the commands are made only when a script has such parts.</summary>
    private sealed class Found : List<SimpleCommand>
    {
        public List<Pipeline>? Pipelines;
        public List<Redirection>? CompoundRedirections;
        public List<ValueEvaluation>? ValueEvaluations;
        public SortedSet<string>? BashOnlySyntax;

        public void BashOnly(string syntax) => (BashOnlySyntax ??= new SortedSet<string>(StringComparer.Ordinal)).Add(syntax);
    }

    public static Result CollectAll(ShellScript script)
    {
        var found = new Found();
        Visit(script, found);
        return new Result(InSourceOrder(found), (IReadOnlyList<Pipeline>?)found.Pipelines ?? [], (IReadOnlyList<Redirection>?)found.CompoundRedirections ?? [],
            (IReadOnlyList<ValueEvaluation>?)found.ValueEvaluations ?? [], found.BashOnlySyntax?.ToArray() ?? []);
    }

    private static IReadOnlyList<SimpleCommand> InSourceOrder(List<SimpleCommand> found)
    {
        for (var i = 1; i < found.Count; i++)
        {
            if (found[i].Start >= found[i - 1].Start) continue;
            // Redirection targets and here-documents can precede words in the source; restore source order.
            var ordered = found.Select((command, index) => (command, index))
                .OrderBy(pair => pair.command.Start).ThenBy(pair => pair.index).Select(pair => pair.command).ToList();
            return ordered;
        }
        return found;
    }

    private static void Visit(ShellScript script, Found found)
    {
        // Indexed loops: foreach over IReadOnlyList boxes an enumerator, and this runs on every decision.
        for (var l = 0; l < script.Lists.Count; l++)
        {
            var pipelines = script.Lists[l].Pipelines;
            for (var p = 0; p < pipelines.Count; p++)
            {
                var commands = pipelines[p].Commands;
                if (commands.Count > 1) (found.Pipelines ??= []).Add(pipelines[p]);
                for (var c = 0; c < commands.Count; c++) Visit(commands[c], found);
            }
        }
    }

    private static void Visit(ShellCommand command, Found found)
    {
        switch (command)
        {
            case SimpleCommand simple:
                found.Add(simple);
                for (var i = 0; i < simple.Assignments.Count; i++) Visit(simple.Assignments[i].Value, found);
                for (var i = 0; i < simple.Words.Count; i++) Visit(simple.Words[i], found);
                break;
            case Subshell subshell:
                Visit(subshell.Body, found);
                break;
            case BraceGroup group:
                Visit(group.Body, found);
                break;
            case IfCommand conditional:
                foreach (var branch in conditional.Branches)
                {
                    Visit(branch.Condition, found);
                    Visit(branch.Body, found);
                }
                if (conditional.Else is { } otherwise) Visit(otherwise, found);
                break;
            case ForCommand loop:
                if (loop.Words is { } words)
                    foreach (var word in words) Visit(word, found);
                Visit(loop.Body, found);
                break;
            case WhileCommand loop:
                Visit(loop.Condition, found);
                Visit(loop.Body, found);
                break;
            case CaseCommand selection:
                Visit(selection.Subject, found);
                foreach (var item in selection.Items)
                {
                    foreach (var pattern in item.Patterns) Visit(pattern, found);
                    Visit(item.Body, found);
                }
                break;
            case TestCommand test:
                found.BashOnly("[[ ]]");
                if (ValueEvaluationFinder.In(test) is { } evaluation) (found.ValueEvaluations ??= []).Add(evaluation);
                foreach (var word in test.Words) Visit(word, found);
                break;
        }
        if (command is not SimpleCommand && command.Redirections.Count > 0) (found.CompoundRedirections ??= []).AddRange(command.Redirections);
        for (var i = 0; i < command.Redirections.Count; i++)
        {
            var redirection = command.Redirections[i];
            if (redirection.Operator is "&>" or "&>>" or "<<<") found.BashOnly(redirection.Operator);
            if (redirection.Target is { } target) Visit(target, found);
            if (redirection.HereDocContent is { } content) Visit(content, found);
        }
    }

    private static void Visit(ShellWord word, Found found)
    {
        for (var i = 0; i < word.Parts.Count; i++)
        {
            switch (word.Parts[i])
            {
                case CommandSubstitutionPart substitution:
                    Visit(substitution.Body, found);
                    break;
                case ProcessSubstitutionPart substitution:
                    found.BashOnly(substitution.IsInput ? "<( )" : ">( )");
                    Visit(substitution.Body, found);
                    break;
                case LiteralPart { Quote: QuoteKind.AnsiC }:
                    found.BashOnly("$'…'");
                    break;
                case LiteralPart { Quote: QuoteKind.Locale }:
                    found.BashOnly("$\"…\"");
                    break;
                case ArithmeticPart or ParameterPart when ValueEvaluationFinder.In(word.Parts[i]) is { } evaluation:
                    (found.ValueEvaluations ??= []).Add(evaluation);
                    break;
            }
        }
    }
}
