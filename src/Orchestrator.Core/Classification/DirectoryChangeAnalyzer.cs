namespace Orchestrator.Core.Classification;

/// <summary><c>cd</c>/<c>pushd</c>: harmless themselves, but the caller must track the new directory.</summary>
internal sealed class DirectoryChangeAnalyzer : ICommandAnalyzer
{
    public string Name => "cd";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = new ScanState();
        OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: false);
        var isPushd = verdict.Program == "pushd";

        if (state.Positionals.Count == 0)
        {
            if (isPushd)
            {
                verdict.SetBase(CommandRisk.Unknown, "pushd without a directory swaps to a directory the classifier cannot know");
                return;
            }
            verdict.SetBase(CommandRisk.ReadOnly, "cd changes to the home directory");
            verdict.ChangesDirectoryTo = "~";
            return;
        }

        var target = state.Positionals[0];
        // "cd -" and "pushd +N" go to directories remembered by the shell, which the caller cannot see.
        if (target == "-" || (isPushd && target.Length > 1 && (target[0] == '+' || target[0] == '-') && char.IsAsciiDigit(target[1])))
        {
            verdict.SetBase(CommandRisk.Unknown, $"{verdict.Program} {target} changes to a directory the classifier cannot know");
            return;
        }
        verdict.SetBase(CommandRisk.ReadOnly, $"{verdict.Program} changes the working directory");
        verdict.ChangesDirectoryTo = target;
    }
}
