using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

public static partial class CallLifecycle
{
    /// <summary>
    /// Folds <see cref="CallReceivedAndDecided"/> into one copy of the state: the same checks, in the same order, and the
    /// same result as folding its <see cref="CallReceivedAndDecided.Parts"/> one by one (a property test holds the two
    /// equal), without a state per part — this is every automatic decision's fold.
    /// </summary>
    private static CallState ApplyReceivedAndDecided(CallState state, CallReceivedAndDecided combined)
    {
        Require(state, combined.Received, CallStatus.New);
        RequireCallOf(state, combined.Decided);
        var status = StatusAfter(combined.Decided);
        var (pending, last, answer) = (state.PendingApproval, state.LastApproval, state.Answer);
        if (combined.Requested is { } requested)
        {
            RequireCallOf(state, requested);
            if (!AwaitsApprovalRequest(status, combined.Decided.Verdict.Decision, answer, last, state.TimedOutApprovals))
                throw Misplaced(state.CallId, status, requested);
            (status, pending, last) = (CallStatus.AwaitingApproval, requested, requested);
        }
        if (combined.Answered is { } answered)
        {
            RequireCallOf(state, answered);
            if (pending?.ApprovalId != answered.ApprovalId) throw Misplaced(state.CallId, status, answered);
            (status, pending, answer) = (StatusAfter(answered), null, answered);
        }
        if (combined.Completed is { } completed)
        {
            RequireCallOf(state, completed);
            if (!IsOpen(status)) throw Misplaced(state.CallId, status, completed);
            (status, pending) = (CallStatus.Completed, null);
        }
        return state with
        {
            Status = status,
            Received = combined.Received,
            Decided = combined.Decided,
            PendingApproval = pending,
            LastApproval = last,
            Answer = answer,
            Completion = combined.Completed ?? state.Completion,
        };
    }

    private static CallStatus StatusAfter(CallDecided decided) =>
        decided.Verdict.Decision == Decision.Ask && decided.CoveredByGrant is not null ? CallStatus.Approved : CallStatus.Decided;

    private static CallStatus StatusAfter(ApprovalAnswered answered) => answered.Approved ? CallStatus.Approved : CallStatus.Decided;

    private static CallCommandResult Accept(CallState state, ImmutableArray<CallEvent> events) =>
        CallCommandResult.Accepted(Fold(state, events), events);

    /// <summary>
    /// <paramref name="first"/>, already folded into <paramref name="afterFirst"/>, then <paramref name="following"/>:
    /// each event is folded once (a state copy per event, not one more for the look-ahead).
    /// </summary>
    private static CallCommandResult Accept(CallState afterFirst, CallEvent first, ImmutableArray<CallEvent> following) =>
        CallCommandResult.Accepted(Fold(afterFirst, following), [first, .. following]);

    private static CallCommandResult AcceptWithCompletion(CallState state, CallEvent evt, DateTimeOffset now)
    {
        var after = Apply(state, evt);
        return Accept(after, evt, Completion(after, now));
    }

    private static CallState Fold(CallState state, ImmutableArray<CallEvent> events)
    {
        foreach (var evt in events) state = Apply(state, evt);
        return state;
    }
}
