namespace Orchestrator.Core.Classification;

/// <summary>sed: the script (first operand, or <c>-e</c>/<c>--expression</c> values) is scanned for commands that run or write.</summary>
internal sealed class SedAnalyzer : ICommandAnalyzer
{
    public string Name => "sed";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = ScanState.Recording();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);

        var findings = new List<ScriptFinding>();
        var files = state.Positionals.AsEnumerable();
        var parsed = true;
        if (!state.PatternSupplied && state.Positionals.Count > 0)
        {
            parsed = SedScriptScanner.TryScan(state.Positionals[0], findings);
            files = files.Skip(1);
        }
        foreach (var (name, value) in state.SeenOptions!)
        {
            if (name is "-e" or "--expression" && value is not null)
                parsed &= SedScriptScanner.TryScan(value, findings);
        }

        if (!parsed) verdict.Raise(CommandRisk.Unknown, "sed script could not be parsed");
        foreach (var finding in findings)
        {
            switch (finding.Kind)
            {
                case ScriptFindingKind.Executes:
                    verdict.Raise(CommandRisk.Unknown, $"sed script runs shell commands ({finding.Construct})", escapeHatch: true);
                    break;
                case ScriptFindingKind.Writes:
                    verdict.Raise(CommandRisk.WorkspaceWrite, $"sed script writes a file ({finding.Construct} {finding.File})", escapeHatch: true);
                    verdict.AddPath(finding.File!, PathAccessKind.Write);
                    break;
                case ScriptFindingKind.Reads:
                    verdict.AddPath(finding.File!, PathAccessKind.Read);
                    break;
            }
        }

        var inPlace = state.Saw("-i", "--in-place");
        foreach (var file in files) verdict.AddPath(file, inPlace ? PathAccessKind.Write : PathAccessKind.Read);
    }
}
