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

        // Unlike the shell, env treats every NAME=VALUE word as an assignment, whatever characters NAME contains.
        for (; at < argv.Count && argv[at].IndexOf('=') > 0; at++)
        {
            var name = argv[at][..argv[at].IndexOf('=')];
            if (catalog.FindDangerousVariable(name) is { } rule)
                verdict.Raise(CommandRisk.Unknown, $"env sets {name}: {rule.Reason}", escapeHatch: true);
            else if (!AssignmentNames.IsName(name))
                verdict.Raise(CommandRisk.Unknown, $"env sets '{name}', which is not a shell variable name (exported functions use such names)", escapeHatch: true);
        }

        if (at >= argv.Count) return;
        verdict.SetBase(CommandRisk.ReadOnly, WrapperAnalyzer.WrapperReason);
        verdict.AddInnerCommandFrom(argv, at, state.ValueOf("-C", "--chdir"));
    }
}
