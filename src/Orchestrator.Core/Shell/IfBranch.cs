namespace Orchestrator.Core.Shell;

/// <summary>One <c>if</c>/<c>elif</c> condition and the body run when it succeeds.</summary>
public sealed record IfBranch(ShellScript Condition, ShellScript Body);
