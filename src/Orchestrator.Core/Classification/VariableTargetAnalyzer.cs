namespace Orchestrator.Core.Classification;

/// <summary>
/// <c>read NAME</c>, <c>mapfile NAME</c>, <c>printf -v NAME</c>, <c>getopts … NAME</c>: builtins whose operands or option
/// values name variables they assign, so <c>read PATH</c> is as dangerous as <c>PATH=…</c>.
/// </summary>
internal sealed class VariableTargetAnalyzer : ICommandAnalyzer
{
    public string Name => "variableTargets";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, catalog) = context;
        var state = ScanState.Recording();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);

        // Checking every operand and option value over-approximates the targets; a prompt that happens to read
        // "PATH" only costs a question to a human.
        foreach (var word in state.Positionals) Check(word, verdict, catalog);
        foreach (var (_, value) in state.SeenOptions!)
        {
            if (value is not null) Check(value, verdict, catalog);
        }
    }

    private static void Check(string word, VerdictBuilder verdict, CommandCatalog catalog)
    {
        if (AssignmentNames.IsName(word) && catalog.FindDangerousVariable(word) is { } rule)
            verdict.Raise(CommandRisk.Unknown, $"{verdict.Program} assigns {word}: {rule.Reason}", escapeHatch: true);
    }
}
