namespace Orchestrator.Core.Policy;

/// <summary>A policy source that could not be read or understood; any such error makes the policy fail closed.</summary>
public sealed record PolicyLoadError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
