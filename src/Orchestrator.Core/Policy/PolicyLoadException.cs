namespace Orchestrator.Core.Policy;

/// <summary>Raised inside loaders and caught at their edge, where it becomes a <see cref="PolicyLoadError"/>.</summary>
public sealed class PolicyLoadException(PolicyLoadError error) : Exception(error.ToString())
{
    public PolicyLoadError Error { get; } = error;
}
