namespace Orchestrator.Core.Classification;

/// <summary>An environment variable (or name prefix such as <c>LD_</c>) whose value can hijack what programs do.</summary>
internal sealed record EnvironmentVariableRule(string Name, bool IsPrefix, string Reason);
