namespace Orchestrator.Core.Classification;

/// <summary>
/// Transparent wrappers (timeout, nice, nohup, time, stdbuf, command, builtin, exec, sudo): the wrapped argv is handed
/// back for the caller to classify; the wrapper itself only contributes risky options of its own (and sudo its own
/// privilege escalation).
/// </summary>
internal sealed class WrapperAnalyzer : ICommandAnalyzer
{
    public const string WrapperReason = "wrapper";

    public string Name => "wrapper";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = new ScanState();
        var at = OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: true);
        if (state.ReadOnlyOption is { } query)
        {
            verdict.SetBase(CommandRisk.ReadOnly, $"{verdict.Program} {query} only reports information");
            return;
        }

        at += spec.WrapperPositionals;
        if (at >= argv.Count) return;
        // A wrapper that escalates privileges (sudo) keeps its own risk beside the wrapped command's.
        if (spec.Risk != CommandRisk.Destructive) verdict.SetBase(CommandRisk.ReadOnly, WrapperReason);
        verdict.AddInnerCommandFrom(argv, at);
    }

    public static IReadOnlyList<string> Slice(IReadOnlyList<string> argv, int start)
    {
        var inner = new string[argv.Count - start];
        for (var k = 0; k < inner.Length; k++) inner[k] = argv[start + k];
        return inner;
    }
}
