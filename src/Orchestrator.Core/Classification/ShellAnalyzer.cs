namespace Orchestrator.Core.Classification;

/// <summary>
/// <c>bash|sh|dash|zsh|ksh</c>: with <c>-c</c> (alone or in a cluster such as <c>-lc</c>) the script is returned for the
/// caller to parse; a script file, stdin or an interactive shell cannot be inspected.
/// </summary>
internal sealed class ShellAnalyzer : ICommandAnalyzer
{
    public string Name => "shell";

    public void Analyze(AnalysisContext context)
    {
        var (argv, _, verdict, _) = context;
        var inline = false;
        var readsStdin = false;
        var i = 1;
        while (i < argv.Count)
        {
            var arg = argv[i];
            if (arg is "--" or "-")
            {
                i++;
                break;
            }
            if (arg.Length < 2 || (arg[0] != '-' && arg[0] != '+')) break;
            i++;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg is "--rcfile" or "--init-file")
                {
                    verdict.Raise(CommandRisk.Unknown, $"{verdict.Program} {arg} runs the given startup file", escapeHatch: true);
                    i++;
                }
                continue;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                switch (arg[j])
                {
                    case 'c': inline = true; break;
                    case 's': readsStdin = true; break;
                    case 'o' or 'O': i++; break; // -o takes an option name as the next argument
                }
            }
        }

        if (inline)
        {
            if (i < argv.Count)
            {
                verdict.SetBase(CommandRisk.ReadOnly, $"{verdict.Program} -c runs an inline script");
                verdict.InnerScript = argv[i];
            }
            else
            {
                verdict.SetBase(CommandRisk.Unknown, $"{verdict.Program} -c without a script");
            }
        }
        else if (i < argv.Count && !readsStdin)
        {
            verdict.SetBase(CommandRisk.Unknown, $"{verdict.Program} runs the script file '{argv[i]}'");
        }
        else
        {
            verdict.SetBase(CommandRisk.Unknown, $"{verdict.Program} without -c reads commands from stdin or a terminal");
        }
    }
}
