namespace Orchestrator.Core.Classification;

/// <summary><c>env [options] [NAME=VALUE]… [COMMAND…]</c>: a wrapper whose assignments can themselves hijack the command.</summary>
internal sealed class EnvAnalyzer : ICommandAnalyzer
{
    public string Name => "env";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, catalog) = context;
        var state = ScanState.Recording();
        var at = OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: true);
        if (at < argv.Count && argv[at] == "-") at++; // "env -" is an old spelling of "env -i"

        for (; at < argv.Count && AssignmentNames.TryGetName(argv[at], out var name); at++)
        {
            if (catalog.FindDangerousVariable(name) is { } rule)
                verdict.Raise(CommandRisk.Unknown, $"env sets {name}: {rule.Reason}", escapeHatch: true);
        }

        if (at >= argv.Count) return;
        verdict.SetBase(CommandRisk.ReadOnly, WrapperAnalyzer.WrapperReason);
        verdict.InnerCommand = WrapperAnalyzer.Slice(argv, at);
        verdict.InnerWorkingDirectory = state.ValueOf("-C", "--chdir");
    }
}
