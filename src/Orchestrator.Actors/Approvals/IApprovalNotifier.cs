using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Approvals;

/// <summary>
/// Told by the broker of each new pending approval (once per server life: not again when a session or the index
/// replays it). Must return at once — a notifier queues and delivers off the pipeline, never blocking the broker.
/// </summary>
public interface IApprovalNotifier
{
    void Notify(ApprovalRequested request);
}
