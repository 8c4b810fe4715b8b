namespace Orchestrator.Core.Classification;

/// <summary>Catalog entry for a program or one of its subcommands.</summary>
/// <param name="Risk">Risk when no option, positional or subcommand says otherwise.</param>
/// <param name="Analyzer">Name of the code analyzer for programs whose syntax data cannot describe.</param>
/// <param name="EscapeHatch">Every use of the program is an escape hatch (editors).</param>
/// <param name="ModeChars">Characters that make a dash-argument a positional (<c>chmod -x file</c>).</param>
/// <param name="InfoOptions">Options that, alone, only print version or help.</param>
/// <param name="WrapperPositionals">For wrappers: positionals before the wrapped command (timeout's duration).</param>
internal sealed record ProgramSpec(
    string Name,
    CommandRisk Risk,
    string Reason,
    string? Analyzer,
    bool EscapeHatch,
    OptionTable Options,
    string? ModeChars,
    PathRule? Paths,
    IReadOnlyList<PositionalRule> PositionalRules,
    IReadOnlyDictionary<string, ProgramSpec>? Subcommands,
    CommandRisk UnknownSubcommandRisk,
    IReadOnlySet<string> InfoOptions,
    int WrapperPositionals)
{
    /// <summary>Single-dash options are whole words (<c>go list -toolexec</c>), never clusters of letters.</summary>
    public bool WordOptions { get; init; }
}
