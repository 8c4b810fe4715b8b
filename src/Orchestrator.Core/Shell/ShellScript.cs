namespace Orchestrator.Core.Shell;

/// <summary>A sequence of and-or lists separated by <c>;</c>, <c>&amp;</c> or newlines.</summary>
public sealed record ShellScript(IReadOnlyList<AndOrList> Lists)
{
    public static ShellScript Empty { get; } = new([]);
}
