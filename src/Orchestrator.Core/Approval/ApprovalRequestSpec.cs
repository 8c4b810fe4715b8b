using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>How to ask when a verdict is ask: a fresh approval id, the timeout (counted from the request), who is asked.</summary>
public sealed record ApprovalRequestSpec(
    ApprovalId Id,
    TimeSpan Timeout,
    string ApproverGroup = ApprovalRequestSpec.DefaultGroup,
    GrantScope RequestedScope = GrantScope.Once)
{
    public const string DefaultGroup = "operators";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);
}
