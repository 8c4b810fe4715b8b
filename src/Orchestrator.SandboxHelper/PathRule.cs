namespace Orchestrator.SandboxHelper;

/// <summary>A Landlock rule requested on the command line.</summary>
internal sealed record PathRule(RuleKind Kind, string Path);
