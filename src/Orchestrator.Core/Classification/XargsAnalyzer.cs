namespace Orchestrator.Core.Classification;

/// <summary>
/// <c>xargs [options] [COMMAND [ARGS…]]</c>: runs COMMAND (default <c>echo</c>) with arguments read from its input.
/// The command is judged as a command of its own, with its input arguments known only at run time: appended at the
/// end (judged both without them, as GNU xargs runs it once on empty input, and with them), or, with <c>-I R</c> / <c>-i</c> / <c>--replace</c> / BSD <c>-J R</c>, in every word that contains R.
/// </summary>
internal sealed class XargsAnalyzer : ICommandAnalyzer
{
    public string Name => "xargs";

    public void Analyze(AnalysisContext context)
    {
        var (argv, spec, verdict, _) = context;
        var state = ScanState.Recording();
        var at = OptionScanner.Scan(argv, 1, spec, verdict, state, stopAtPositional: true);
        var replace = ReplaceString(state);

        verdict.SetBase(CommandRisk.ReadOnly, "xargs runs a command built from its input");
        if (at >= argv.Count)
        {
            verdict.AddInnerCommand(["echo", CommandClassification.RuntimeValue], argv.Count);
            return;
        }

        var command = new List<string>(argv.Count - at + 1);
        for (var k = at; k < argv.Count; k++)
            command.Add(replace is null ? argv[k] : argv[k].Replace(replace, CommandClassification.RuntimeValue, StringComparison.Ordinal));
        verdict.AddInnerCommand(command, at);
        // Input words are appended; with no input at all GNU xargs still runs the command once as written.
        if (replace is null) verdict.AddInnerCommand([.. command, CommandClassification.RuntimeValue], at);
    }

    private static string? ReplaceString(ScanState state)
    {
        foreach (var (name, value) in state.SeenOptions!)
        {
            switch (name)
            {
                case "-I" or "-J" when value is { Length: > 0 }:
                    return value;
                case "-i" or "--replace":
                    return string.IsNullOrEmpty(value) ? "{}" : value;
            }
        }
        return null;
    }
}
