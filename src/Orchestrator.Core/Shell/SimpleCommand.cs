namespace Orchestrator.Core.Shell;

/// <summary>
/// Assignments, words and redirections of one command. <see cref="Start"/>/<see cref="End"/> are offsets
/// into the parsed source; for commands inside backticks or here-document bodies they are approximate
/// (that text is unescaped before parsing) and <see cref="SourceText"/> is a slice of the unescaped text.
/// </summary>
public sealed record SimpleCommand(
    IReadOnlyList<Assignment> Assignments,
    IReadOnlyList<ShellWord> Words,
    IReadOnlyList<Redirection> Redirections,
    int Start,
    int End,
    string SourceText) : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;

    /// <summary>The command name word, or null for assignment- or redirection-only commands.</summary>
    public ShellWord? CommandWord => Words.Count > 0 ? Words[0] : null;
}
