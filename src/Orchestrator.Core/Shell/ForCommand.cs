namespace Orchestrator.Core.Shell;

/// <summary>
/// <c>for Variable in Words; do Body; done</c>. <see cref="Words"/> is null for <c>for x; do</c>,
/// which iterates over the positional parameters.
/// </summary>
public sealed record ForCommand(string Variable, IReadOnlyList<ShellWord>? Words, ShellScript Body,
    IReadOnlyList<Redirection> Redirections) : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
