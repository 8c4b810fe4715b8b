namespace Orchestrator.Core.Shell;

/// <summary>Commands joined by <c>|</c> or <c>|&amp;</c>, optionally negated with <c>!</c>.</summary>
public sealed record Pipeline(IReadOnlyList<ShellCommand> Commands, bool Negated);
