namespace Orchestrator.Core.Classification;

/// <summary>
/// Classifies one simple command (argv plus any prefix assignments) using a data-driven catalog of programs.
/// Never throws on any argv: anything it does not understand is <see cref="CommandRisk.Unknown"/>.
/// </summary>
public sealed class CommandClassifier
{
    public const string CatalogResourceName = "Orchestrator.Core.Classification.command-catalog.json";

    private static readonly Lazy<CommandClassifier> DefaultInstance = new(LoadDefault);

    private static readonly Dictionary<string, ICommandAnalyzer> Analyzers = new ICommandAnalyzer[]
    {
        new WrapperAnalyzer(), new EnvAnalyzer(), new ShellAnalyzer(), new EvalAnalyzer(), new DirectoryChangeAnalyzer(),
        new AssignmentBuiltinAnalyzer(), new FindAnalyzer(), new SedAnalyzer(), new AwkAnalyzer(), new TarAnalyzer(),
        new RsyncAnalyzer(), new VariableTargetAnalyzer(), new XargsAnalyzer(),
    }.ToDictionary(analyzer => analyzer.Name, StringComparer.Ordinal);

    private readonly CommandCatalog _catalog;

    private CommandClassifier(CommandCatalog catalog) => _catalog = catalog;

    /// <summary>The classifier for the catalog embedded in this assembly, loaded once.</summary>
    public static CommandClassifier Default => DefaultInstance.Value;

    /// <summary>Whether the catalog describes the program (by its base name).</summary>
    public bool Knows(string program) => _catalog.FindProgram(program.Contains('/') ? program[(program.LastIndexOf('/') + 1)..] : program) is not null;

    /// <summary>Number of program names (including aliases) the catalog knows.</summary>
    public int KnownProgramCount => _catalog.ProgramCount;

    internal CommandCatalog Catalog => _catalog;

    /// <summary>Builds a classifier from catalog JSON.</summary>
    /// <exception cref="CommandCatalogException">The JSON is malformed or does not follow the catalog schema.</exception>
    public static CommandClassifier FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new CommandClassifier(CatalogLoader.Load(json, Analyzers.Keys.ToHashSet(StringComparer.Ordinal)));
    }

    public CommandClassification Classify(IReadOnlyList<string> argv) => Classify(argv, []);

    /// <summary>
    /// <paramref name="argv"/> as its program reads it: subcommands, options (with every spelling of each) and operands,
    /// scanned exactly as <see cref="Classify(IReadOnlyList{string})"/> scans them. For flag-aware rule matching.
    /// </summary>
    public CommandShape Describe(IReadOnlyList<string> argv, bool unknownOptionsTakeValues = false)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var words = new string[argv.Count];
        for (var k = 0; k < words.Length; k++) words[k] = argv[k] ?? "";
        return CommandShapeReader.Read(words, _catalog, unknownOptionsTakeValues);
    }

    /// <summary>
    /// Classifies <paramref name="argv"/> run with the given prefix <paramref name="assignments"/> (<c>NAME=VALUE</c>
    /// words before the program). An assignment to a dangerous variable makes the command an
    /// <see cref="CommandRisk.Unknown"/> escape hatch; assignments alone (empty argv) set shell variables.
    /// </summary>
    public CommandClassification Classify(IReadOnlyList<string> argv, IReadOnlyList<string> assignments)
    {
        var verdict = ClassifyProgram(argv ?? [], assignments is { Count: > 0 });
        if (assignments is null || assignments.Count == 0) return verdict;

        foreach (var assignment in assignments)
        {
            var name = assignment is null ? null : AssignmentNames.NameOf(assignment);
            if (name is null) continue;
            if (_catalog.FindDangerousVariable(name) is { } rule && verdict.Risk <= CommandRisk.Unknown)
            {
                return verdict with
                {
                    Risk = CommandRisk.Unknown,
                    Reason = $"assignment to {name}: {rule.Reason}",
                    IsEscapeHatch = true,
                };
            }
        }
        return verdict;
    }

    /// <summary>True when assigning <paramref name="name"/> can change which program runs or how it behaves.</summary>
    public bool IsDangerousEnvironmentVariable(string name, out string reason)
    {
        if (name is not null && _catalog.FindDangerousVariable(name) is { } rule)
        {
            reason = rule.Reason;
            return true;
        }
        reason = "";
        return false;
    }

    private CommandClassification ClassifyProgram(IReadOnlyList<string> argv, bool hasAssignments)
    {
        if (argv.Count == 0)
        {
            return hasAssignments
                ? Simple(CommandRisk.ReadOnly, "sets shell variables", "")
                : Simple(CommandRisk.Unknown, "empty command", "");
        }

        var path = argv[0] ?? "";
        var slash = path.LastIndexOf('/');
        var program = slash < 0 ? path : path[(slash + 1)..];
        if (program.Length == 0) return Simple(CommandRisk.Unknown, "no program name", program);
        for (var k = 1; k < argv.Count; k++)
        {
            if (argv[k] is null) return Simple(CommandRisk.Unknown, "argument list contains a null word", program);
        }

        var spec = _catalog.FindProgram(program);
        if (spec is null)
        {
            return Simple(CommandRisk.Unknown, slash < 0
                ? $"'{program}' is not in the command catalog"
                : $"'{path}' runs a program or script by path that is not in the command catalog", program);
        }

        var verdict = ClassifyKnown(argv, program, spec);
        // ./ls or /tmp/x/rm is whatever file sits there, not the system program the catalog describes.
        if (slash >= 0 && !_catalog.IsTrustedDirectory(path.AsSpan(0, Math.Max(slash, 1))) && verdict.Risk < CommandRisk.Unknown)
        {
            return verdict with
            {
                Risk = CommandRisk.Unknown,
                Reason = $"'{path}' is outside the system program directories, so it may not be the real {program}",
            };
        }
        return verdict;
    }

    private CommandClassification ClassifyKnown(IReadOnlyList<string> argv, string program, ProgramSpec spec)
    {
        var verdict = new VerdictBuilder(program, spec.Risk, spec.Reason);
        if (spec.EscapeHatch) verdict.RaiseForName(spec.Risk, spec.Reason, program);
        if (argv.Count == 2 && spec.InfoOptions.Contains(argv[1]))
            return Simple(CommandRisk.ReadOnly, $"{program} {argv[1]} only prints information", program);

        try
        {
            var analyzer = spec.Analyzer is null ? GenericAnalyzer.Instance : Analyzers[spec.Analyzer];
            analyzer.Analyze(new AnalysisContext(argv, spec, verdict, _catalog));
            return verdict.Build();
        }
        catch (Exception e)
        {
            // A defect in an analyzer must not turn into an exception for the caller or a permissive verdict.
            return Simple(CommandRisk.Unknown, $"{program}: the classifier could not analyse this command ({e.GetType().Name})", program);
        }
    }

    private static CommandClassification Simple(CommandRisk risk, string reason, string program) =>
        new(risk, reason, program, [], [], null, null, false);

    private static CommandClassifier LoadDefault()
    {
        var assembly = typeof(CommandClassifier).Assembly;
        using var stream = assembly.GetManifestResourceStream(CatalogResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{CatalogResourceName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }
}
