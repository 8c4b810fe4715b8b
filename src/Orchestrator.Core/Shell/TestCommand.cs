namespace Orchestrator.Core.Shell;

/// <summary>
/// <c>[[ … ]]</c>. <see cref="Words"/> are the words between the brackets; operators such as
/// <c>&lt;</c>, <c>&gt;</c>, <c>&amp;&amp;</c>, <c>(</c> appear as literal words, not redirections.
/// </summary>
public sealed record TestCommand(IReadOnlyList<ShellWord> Words, IReadOnlyList<Redirection> Redirections) : ShellCommand
{
    public override IReadOnlyList<Redirection> Redirections { get; } = Redirections;
}
