namespace Orchestrator.Core.Classification;

/// <summary>
/// Reads argv into a <see cref="CommandShape"/> with the same option scanning the classifier uses, so a rule and the
/// classifier agree on which word is an option, which is its value and which is an operand.
/// </summary>
internal static class CommandShapeReader
{
    /// <summary>Analyzers whose program runs the rest of the line: after the first operand nothing is the wrapper's option.</summary>
    private static readonly HashSet<string> CommandRunners = new(StringComparer.Ordinal) { "wrapper", "env", "shell", "eval" };

    /// <param name="unknownOptionsTakeValues">For a program the catalog does not describe, read each option written
    /// without <c>=</c> as taking the next word as its value (<c>kubectl -n prod delete</c>): the other reading of an
    /// unknown command line, which deny and ask rules try too.</param>
    public static CommandShape Read(IReadOnlyList<string> argv, CommandCatalog catalog, bool unknownOptionsTakeValues = false)
    {
        if (argv.Count == 0) return new CommandShape("", [], [], [], false);
        var path = argv[0] ?? "";
        var program = path[(path.LastIndexOf('/') + 1)..];
        if (catalog.FindProgram(program) is not { } spec) return Unknown(program, argv, unknownOptionsTakeValues);

        var args = spec.Analyzer == "tar" ? TarAnalyzer.WithOldStyleOptions(argv) : argv;
        var verdict = new VerdictBuilder(program, spec.Risk, spec.Reason);
        var subcommands = new List<string>();
        var options = new List<OptionUse>();
        var stopAtFirstOperand = spec.Analyzer is { } analyzer && CommandRunners.Contains(analyzer);

        var state = ScanState.Describing(null);
        var at = 1;
        while (spec.Subcommands is { } table)
        {
            at = OptionScanner.Scan(args, at, spec, verdict, state, stopAtPositional: true);
            Collect(state, subcommands.Count, options);
            if (at >= args.Count || !table.TryGetValue(args[at], out var sub)) break;
            subcommands.Add(args[at++]);
            spec = sub;
            state = ScanState.Describing(state);
        }

        var operands = new List<string>();
        if (stopAtFirstOperand)
        {
            at = OptionScanner.Scan(args, at, spec, verdict, state, stopAtPositional: true);
            Collect(state, subcommands.Count, options);
            for (var k = at; k < args.Count; k++) operands.Add(args[k]);
        }
        else
        {
            var rest = ScanState.Describing(state);
            OptionScanner.Scan(args, at, spec, verdict, rest, stopAtPositional: false);
            Collect(rest, subcommands.Count, options);
            operands.AddRange(rest.Positionals);
        }
        return new CommandShape(program, subcommands, options, operands, true);
    }

    private static void Collect(ScanState state, int level, List<OptionUse> options)
    {
        foreach (var (spec, name, value) in state.OptionUses!)
        {
            options.Add(spec is null
                ? new OptionUse(name, [name], value, level, false)
                : new OptionUse(Canonical(spec), spec.Names, value, level, true));
        }
        state.OptionUses!.Clear();
    }

    private static string Canonical(OptionSpec spec)
    {
        foreach (var name in spec.Names)
        {
            if (name.StartsWith("--", StringComparison.Ordinal)) return name;
        }
        return spec.Names[0];
    }

    private static CommandShape Unknown(string program, IReadOnlyList<string> argv, bool optionsTakeValues)
    {
        var options = new List<OptionUse>();
        var operands = new List<string>();
        var ended = false;
        for (var k = 1; k < argv.Count; k++)
        {
            var arg = argv[k] ?? "";
            if (!ended && arg == "--") ended = true;
            else if (!ended && arg.Length > 1 && arg[0] == '-')
            {
                var equals = arg.IndexOf('=');
                var name = equals < 0 ? arg : arg[..equals];
                var value = equals < 0 ? null : arg[(equals + 1)..];
                if (value is null && optionsTakeValues && k + 1 < argv.Count && argv[k + 1] is { Length: > 0 } next && next[0] != '-')
                    value = argv[++k];
                options.Add(new OptionUse(name, [name], value, 0, false));
            }
            else operands.Add(arg);
        }
        return new CommandShape(program, [], options, operands, false);
    }
}
