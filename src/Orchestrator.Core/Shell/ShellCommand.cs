namespace Orchestrator.Core.Shell;

/// <summary>One element of a pipeline: a simple command or a compound command.</summary>
public abstract record ShellCommand
{
    public abstract IReadOnlyList<Redirection> Redirections { get; }
}
