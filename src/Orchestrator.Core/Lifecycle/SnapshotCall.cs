using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// The recorded part of a <see cref="CallState"/> — exactly what <see cref="CallLifecycle.Apply"/> folds from events —
/// as a session snapshot stores it: no in-flight work, no knowledge of this process (<see cref="CallState.OriginalInputLost"/>).
/// </summary>
public sealed record SnapshotCall(
    CallId CallId,
    CallStatus Status,
    CallReceived? Received = null,
    CallDecided? Decided = null,
    ApprovalRequested? PendingApproval = null,
    ApprovalRequested? LastApproval = null,
    ImmutableArray<ApprovalTimedOut> TimedOutApprovals = default,
    ApprovalAnswered? Answer = null,
    ExecutionQueued? Queued = null,
    ExecutionStarted? Execution = null,
    ExecutionFinished? Finished = null,
    CallCompleted? Completion = null,
    CallInterrupted? Interruption = null,
    PostToolHooksRan? PostHooks = null)
{
    public static SnapshotCall From(CallState s) => new(
        s.CallId, s.Status, s.Received, s.Decided, s.PendingApproval, s.LastApproval,
        [.. s.TimedOutApprovals.Values.OrderBy(t => t.ApprovalId.Value, StringComparer.Ordinal)],
        s.Answer, s.Queued, s.Execution,
        s.Finished is { Result.Output: not null } finished ? finished with { Result = finished.Result with { Output = null } } : s.Finished,
        s.Completion, s.Interruption, s.PostHooks);

    public CallState ToState() => new()
    {
        CallId = CallId,
        Status = Status,
        Received = Received,
        Decided = Decided,
        PendingApproval = PendingApproval,
        LastApproval = LastApproval,
        TimedOutApprovals = TimedOutApprovals.IsDefault
            ? ImmutableDictionary<ApprovalId, ApprovalTimedOut>.Empty
            : TimedOutApprovals.ToImmutableDictionary(t => t.ApprovalId),
        Answer = Answer,
        Queued = Queued,
        Execution = Execution,
        Finished = Finished,
        Completion = Completion,
        Interruption = Interruption,
        PostHooks = PostHooks,
    };
}
