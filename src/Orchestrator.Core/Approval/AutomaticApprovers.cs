using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Approval;

/// <summary>The automatic approvers as pure functions of the request. They answer for the one call only (scope once).</summary>
public static class AutomaticApprovers
{
    public static string Name(this AutomaticApprover approver) => approver switch
    {
        AutomaticApprover.AutoApprove => "auto-approve",
        AutomaticApprover.AutoDeny => "auto-deny",
        _ => "approve-classifier-safe",
    };

    public static AutomaticApprover? Parse(string name)
    {
        foreach (var approver in Enum.GetValues<AutomaticApprover>())
            if (string.Equals(approver.Name(), name, StringComparison.OrdinalIgnoreCase)) return approver;
        return null;
    }

    public static ApprovalAnswer Answer(this AutomaticApprover approver, ApprovalRequested request)
    {
        var by = approver.Name();
        return approver switch
        {
            AutomaticApprover.AutoApprove => new ApprovalAnswer(request.ApprovalId, true, GrantScope.Once, "approved automatically", by),
            AutomaticApprover.AutoDeny => new ApprovalAnswer(request.ApprovalId, false, GrantScope.Once, "denied automatically", by),
            _ when request.ReasonClass == ReasonClass.ReadOnly =>
                new ApprovalAnswer(request.ApprovalId, true, GrantScope.Once, "the classifier found the call read-only", by),
            _ => new ApprovalAnswer(request.ApprovalId, false, GrantScope.Once,
                $"only read-only calls are approved automatically; this one is {request.ReasonClass.Name()}", by),
        };
    }
}
