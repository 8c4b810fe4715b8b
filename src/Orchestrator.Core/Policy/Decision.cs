namespace Orchestrator.Core.Policy;

/// <summary>The outcome of a policy evaluation; ordered so that the strictest is the largest.</summary>
public enum Decision
{
    Allow,
    Ask,
    Deny,
}
