namespace Orchestrator.Core.Classification;

/// <summary>What the catalog knows about one command-line option of a program.</summary>
/// <param name="Takes">Number of values the option consumes; <see cref="TakesRest"/> means every following argument.</param>
/// <param name="OptionalValue">The value may only be attached (<c>-i.bak</c>, <c>--in-place=.bak</c>), never the next argument.</param>
/// <param name="Risk">Risk the option adds, if any.</param>
/// <param name="ValuePath">One of the option's values is a path read or written (see <see cref="PathArgument"/>).</param>
/// <param name="ValueStartsWith">When set, the risk applies only if the value starts with one of these (ignoring case).</param>
/// <param name="MakesReadOnly">The option turns the program into a query (<c>crontab -l</c>, <c>command -v</c>).</param>
/// <param name="SuppliesPattern">The option supplies the pattern/script, so the first positional is a file (<c>grep -e</c>).</param>
internal sealed record OptionSpec(
    string Name,
    int Takes,
    bool OptionalValue,
    CommandRisk? Risk,
    string? Reason,
    bool EscapeHatch,
    PathAccessKind? ValuePath,
    IReadOnlyList<string>? ValueStartsWith,
    bool MakesReadOnly,
    bool SuppliesPattern)
{
    public const int TakesRest = -1;

    public bool TakesValue => Takes != 0 || OptionalValue;

    /// <summary>Every spelling of this option, as grouped in one catalog key (<c>-r|-R|--recursive</c>); the first is the key's first.</summary>
    public IReadOnlyList<string> Names { get; init; } = [Name];

    /// <summary>Which value (1-based) is the path when the option takes several (<c>jq --rawfile NAME FILE</c> is 2).</summary>
    public int PathArgument { get; init; } = 1;

    /// <summary>The value is a directory that later relative paths of the command are resolved against (<c>git -C DIR</c>).</summary>
    public bool ChangesDirectory { get; init; }

    /// <summary>When set, the risk applies only if the value contains one of these (ignoring case): <c>curl -w '%output{f}'</c>.</summary>
    public IReadOnlyList<string>? ValueContains { get; init; }

    /// <summary>Values starting with one of these (ignoring case) carry no risk: <c>git -c color.ui=false</c> names no program.</summary>
    public IReadOnlyList<string>? HarmlessValues { get; init; }

    /// <summary>
    /// When set, the value names a path only after one of these markers, and the path is what follows the first marker
    /// found (<c>curl -d @file</c>, <c>curl -F name=&lt;file</c>).
    /// </summary>
    public IReadOnlyList<string>? PathAfter { get; init; }
}
