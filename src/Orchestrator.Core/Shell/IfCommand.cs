namespace Orchestrator.Core.Shell;

/// <summary><c>if … then … [elif … then …] [else …] fi</c>; the first branch is the <c>if</c>.</summary>
public sealed record IfCommand(IReadOnlyList<IfBranch> Branches, ShellScript? Else, IReadOnlyList<Redirection> Redirections)
    : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
