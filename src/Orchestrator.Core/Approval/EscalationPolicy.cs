using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>
/// On timeout, ask <see cref="TargetGroup"/> with a fresh request and a new <see cref="Timeout"/> instead of denying,
/// as long as the request has been escalated fewer than <see cref="MaxLevel"/> times.
/// </summary>
public sealed record EscalationPolicy(string TargetGroup, TimeSpan Timeout, int MaxLevel = 1)
{
    public bool Escalates(ApprovalRequested request) => request.EscalationLevel < MaxLevel;
}
