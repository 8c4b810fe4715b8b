namespace Orchestrator.Core.Classification;

/// <summary>
/// <c>find [-H|-L|-P] [-D opts] [-Olevel] [start…] [expression]</c>. Primaries are single-dash words; their arities
/// and risks come from the catalog, where <c>"takes": "rest"</c> marks the <c>-exec</c> family whose command runs up to
/// <c>;</c> or <c>{} +</c>.
/// </summary>
internal sealed class FindAnalyzer : ICommandAnalyzer
{
    public string Name => "find";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = new ScanState();
        var i = 1;
        while (i < argv.Count)
        {
            var leading = argv[i];
            if (leading is "-H" or "-L" or "-P" || leading.StartsWith("-O", StringComparison.Ordinal)) i++;
            else if (leading == "-D") i += 2;
            else break;
        }

        for (; i < argv.Count && !StartsExpression(argv[i]); i++)
            verdict.AddPath(argv[i], PathAccessKind.Read);

        while (i < argv.Count)
        {
            var primary = argv[i++];
            if (!spec.Options.TryGet(primary, out var option)) continue;

            if (option.Takes == OptionSpec.TakesRest)
            {
                var start = i;
                var previous = "";
                while (i < argv.Count && argv[i] != ";" && !(argv[i] == "+" && previous == "{}"))
                    previous = argv[i++];
                var end = i;
                i++;
                // The command is judged on its own; each {} is a found path, known only at run time.
                if (end > start) verdict.AddInnerCommand(RunCommand(argv, start, end), start);
                else OptionScanner.Apply(option, null, verdict, state);
                continue;
            }

            var value = option.Takes > 0 && i < argv.Count ? argv[i] : null;
            i += option.Takes;
            OptionScanner.Apply(option, value, verdict, state);
        }
    }

    private static string[] RunCommand(IReadOnlyList<string> argv, int start, int end)
    {
        var command = new string[end - start];
        for (var k = 0; k < command.Length; k++)
            command[k] = argv[start + k].Replace("{}", CommandClassification.RuntimeValue, StringComparison.Ordinal);
        return command;
    }

    private static bool StartsExpression(string arg) =>
        (arg.Length > 1 && arg[0] == '-') || arg is "(" or ")" or "!" or ",";
}
