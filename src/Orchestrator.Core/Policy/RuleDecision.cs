namespace Orchestrator.Core.Policy;

/// <summary>The three rule classes; deny beats ask beats allow.</summary>
public enum RuleDecision
{
    Allow,
    Ask,
    Deny,
}
