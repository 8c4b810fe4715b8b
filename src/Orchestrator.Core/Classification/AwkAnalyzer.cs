namespace Orchestrator.Core.Classification;

/// <summary>awk family: the program text (first operand, or gawk <c>-e</c>/<c>--source</c>) is scanned for escapes.</summary>
internal sealed class AwkAnalyzer : ICommandAnalyzer
{
    public string Name => "awk";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = ScanState.Recording();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);

        var findings = new List<ScriptFinding>();
        var operandsStart = 0;
        if (!state.PatternSupplied && state.Positionals.Count > 0)
        {
            AwkProgramScanner.Scan(state.Positionals[0], findings);
            operandsStart = 1;
        }
        foreach (var (name, value) in state.SeenOptions!)
        {
            if (name is "-e" or "--source" && value is not null) AwkProgramScanner.Scan(value, findings);
        }

        foreach (var finding in findings) Report(spec.Name, finding, verdict);

        for (var k = operandsStart; k < state.Positionals.Count; k++)
        {
            var operand = state.Positionals[k];
            // Operands of the form var=value are assignments, not files.
            if (!AssignmentNames.TryGetName(operand, out _)) verdict.AddPath(operand, PathAccessKind.Read);
        }
    }

    private static void Report(string program, ScriptFinding finding, VerdictBuilder verdict)
    {
        switch (finding.Kind)
        {
            case ScriptFindingKind.Executes:
                verdict.Raise(CommandRisk.Unknown, $"{program} program runs shell commands ({finding.Construct})", escapeHatch: true);
                break;
            case ScriptFindingKind.Pipes:
                verdict.Raise(CommandRisk.Unknown, $"{program} program pipes to or from a command ({finding.Construct})", escapeHatch: true);
                break;
            case ScriptFindingKind.LoadsCode:
                verdict.Raise(CommandRisk.Unknown, $"{program} program loads code ({finding.Construct})", escapeHatch: true);
                break;
            case ScriptFindingKind.Connects:
                verdict.Raise(CommandRisk.Network, $"{program} program opens a network connection ({finding.Construct})", escapeHatch: true);
                break;
            case ScriptFindingKind.Writes when finding.File is null:
                // The caller cannot check a path computed at run time, so the write could go anywhere.
                verdict.Raise(CommandRisk.Unknown, $"{program} program writes to a file whose name is computed ({finding.Construct})", escapeHatch: true);
                break;
            case ScriptFindingKind.Writes:
                verdict.Raise(CommandRisk.WorkspaceWrite, $"{program} program writes a file ({finding.Construct} {finding.File})", escapeHatch: true);
                verdict.AddPath(finding.File!, PathAccessKind.Write);
                break;
        }
    }
}
