namespace Orchestrator.Core.Classification;

/// <summary>Classifies a program entirely from its catalog entry: options, subcommands, positional rules and paths.</summary>
internal sealed class GenericAnalyzer : ICommandAnalyzer
{
    public static readonly GenericAnalyzer Instance = new();

    public string Name => "generic";

    public void Analyze(AnalysisContext context) => AnalyzeFrom(context.Argv, 1, context.Spec, context.Verdict, new ScanState());

    private static void AnalyzeFrom(IReadOnlyList<string> argv, int start, ProgramSpec spec, VerdictBuilder verdict, ScanState state)
    {
        if (spec.Subcommands is { } subcommands)
        {
            var at = OptionScanner.Scan(argv, start, spec, verdict, state, stopAtPositional: true);
            if (at < argv.Count)
            {
                if (subcommands.TryGetValue(argv[at], out var sub))
                {
                    verdict.SetBase(sub.Risk, sub.Reason);
                    if (sub.EscapeHatch) verdict.RaiseForName(sub.Risk, sub.Reason, argv[at]);
                    AnalyzeFrom(argv, at + 1, sub, verdict, ScanState.Continuing(state));
                    return;
                }

                // Not a subcommand: the rest are the program's own operands (git config --get NAME, git config NAME VALUE).
                verdict.SetBase(spec.UnknownSubcommandRisk, spec.Risk >= spec.UnknownSubcommandRisk
                    ? spec.Reason
                    : $"'{argv[at]}' is not a known {DisplayName(spec, verdict)} subcommand");
                OptionScanner.Scan(argv, at, spec, verdict, state, stopAtPositional: false);
            }
        }
        else
        {
            OptionScanner.Scan(argv, start, spec, verdict, state, stopAtPositional: false);
        }
        Finish(spec, state, verdict);
    }

    /// <summary>Applies the read-only switch, positional rules and path mapping once options are scanned.</summary>
    public static void Finish(ProgramSpec spec, ScanState state, VerdictBuilder verdict)
    {
        if (state.ReadOnlyOption is { } query)
        {
            verdict.SetBase(CommandRisk.ReadOnly, $"{DisplayName(spec, verdict)} {query} only reports information");
        }
        else
        {
            foreach (var rule in spec.PositionalRules)
            {
                foreach (var positional in state.Positionals)
                {
                    if (rule.Matches(positional)) verdict.Raise(rule.Risk, rule.Reason, rule.EscapeHatch);
                }
            }
        }

        if (spec.Paths is { } paths) AddPaths(paths, state, verdict, readOnly: state.ReadOnlyOption is not null);
    }

    /// <summary>The name as invoked, so aliases read naturally: "rpm -q", "yarn add" rather than "dpkg -q", "npm add".</summary>
    public static string DisplayName(ProgramSpec spec, VerdictBuilder verdict)
    {
        var space = spec.Name.IndexOf(' ');
        return space < 0 ? verdict.Program : verdict.Program + spec.Name[space..];
    }

    private static void AddPaths(PathRule rule, ScanState state, VerdictBuilder verdict, bool readOnly)
    {
        var positionals = state.Positionals;
        var first = state.PatternSupplied ? 0 : rule.Skip;
        var count = positionals.Count - first;
        for (var k = first; k < positionals.Count; k++)
        {
            var arg = positionals[k];
            if (rule.KeyValue is { } keyValue)
            {
                var equals = arg.IndexOf('=');
                if (equals > 0 && keyValue.TryGetValue(arg[..equals], out var valueKind))
                {
                    verdict.AddPath(ScanState.Resolve(state.DirectoryForPositional(k), arg[(equals + 1)..]), valueKind);
                    continue;
                }
            }
            if (rule.Kind is not { } kind) continue;
            if (count >= 2 && k == positionals.Count - 1 && rule.Last is { } last) kind = last;
            else if (count >= 2 && k == first && rule.First is { } firstKind) kind = firstKind;
            verdict.AddPath(ScanState.Resolve(state.DirectoryForPositional(k), arg), readOnly ? PathAccessKind.Read : kind);
        }
    }
}
