namespace Orchestrator.Core.Shell;

/// <summary><c>while</c> (or, when <see cref="Until"/>, <c>until</c>) <c>Condition; do Body; done</c>.</summary>
public sealed record WhileCommand(ShellScript Condition, ShellScript Body, bool Until, IReadOnlyList<Redirection> Redirections)
    : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
