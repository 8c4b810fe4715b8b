namespace Orchestrator.Core.Shell;

/// <summary><c>( … )</c>.</summary>
public sealed record Subshell(ShellScript Body, IReadOnlyList<Redirection> Redirections) : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
