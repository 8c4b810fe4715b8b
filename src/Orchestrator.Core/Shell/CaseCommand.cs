namespace Orchestrator.Core.Shell;

/// <summary><c>case Subject in … esac</c>.</summary>
public sealed record CaseCommand(ShellWord Subject, IReadOnlyList<CaseItem> Items, IReadOnlyList<Redirection> Redirections)
    : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
