namespace Orchestrator.Core.History.Events;

/// <summary>Identifies one lasting grant (session or always scope).</summary>
public readonly record struct GrantId(string Value)
{
    /// <summary>A grant created by answering an approval is named after it, so replaying the answer yields the same id.</summary>
    public static GrantId FromApproval(ApprovalId approval) => new("grant-" + approval.Value);

    public override string ToString() => Value;
}
