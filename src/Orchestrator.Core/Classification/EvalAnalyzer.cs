namespace Orchestrator.Core.Classification;

/// <summary><c>eval ARGS…</c>: the arguments joined by spaces are a script the caller must parse.</summary>
internal sealed class EvalAnalyzer : ICommandAnalyzer
{
    public string Name => "eval";

    public void Analyze(AnalysisContext context)
    {
        var (argv, _, verdict, _) = context;
        var start = argv.Count > 1 && argv[1] == "--" ? 2 : 1;
        if (start >= argv.Count)
        {
            verdict.SetBase(CommandRisk.ReadOnly, "eval with no arguments does nothing");
            return;
        }
        verdict.SetBase(CommandRisk.ReadOnly, "eval runs its arguments as a shell script");
        verdict.InnerScript = string.Join(' ', WrapperAnalyzer.Slice(argv, start));
    }
}
