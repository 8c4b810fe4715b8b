namespace Orchestrator.Core.Approval;

/// <summary>Unattended approvers for load tests and headless use.</summary>
public enum AutomaticApprover
{
    AutoApprove,
    AutoDeny,
    /// <summary>Approves only calls the classifier found read-only; denies the rest.</summary>
    ApproveClassifierSafe,
}
