namespace Orchestrator.Core.Classification;

/// <summary><c>export</c>, <c>declare</c>, <c>local</c>, …: harmless unless they assign a variable that hijacks later commands.</summary>
internal sealed class AssignmentBuiltinAnalyzer : ICommandAnalyzer
{
    public string Name => "assignments";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, catalog) = context;
        var state = new ScanState();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);
        foreach (var word in state.Positionals)
        {
            // A bare NAME only changes attributes of the existing value; NAME=VALUE is what can hijack.
            if (AssignmentNames.TryGetName(word, out var name) && catalog.FindDangerousVariable(name) is { } rule)
                verdict.Raise(CommandRisk.Unknown, $"{spec.Name} sets {name}: {rule.Reason}", escapeHatch: true);
        }
    }
}
