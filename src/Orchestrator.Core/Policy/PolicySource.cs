namespace Orchestrator.Core.Policy;

/// <summary>One file (or the command line) that contributed to a policy snapshot.</summary>
public sealed record PolicySource(SettingsLayer Layer, string Path, string Digest, int RuleCount);
