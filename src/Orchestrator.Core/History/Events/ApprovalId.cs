namespace Orchestrator.Core.History.Events;

/// <summary>Identifies one approval request; every request (including an escalation) gets a fresh one.</summary>
public readonly record struct ApprovalId(string Value)
{
    public override string ToString() => Value;
}
