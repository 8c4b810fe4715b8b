namespace Orchestrator.Core.Classification;

/// <summary>What the catalog knows about one command-line option of a program.</summary>
/// <param name="Takes">Number of values the option consumes; <see cref="TakesRest"/> means every following argument.</param>
/// <param name="OptionalValue">The value may only be attached (<c>-i.bak</c>, <c>--in-place=.bak</c>), never the next argument.</param>
/// <param name="Risk">Risk the option adds, if any.</param>
/// <param name="ValuePath">The option's value is a path read or written.</param>
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

    /// <summary>Every spelling of this option the catalog groups together (<c>-r</c>, <c>-R</c>, <c>--recursive</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [Name];

    public bool TakesValue => Takes != 0 || OptionalValue;
}
