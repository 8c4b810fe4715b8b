using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>DESIGN §2's crash-recovery table, applied to a call folded from its journal.</summary>
public sealed partial class CallPipeline
{
    private PipelineStep Recover(CallState state, CallInput.Recovered r)
    {
        var work = WorkOf(state);
        if (state.Received is { MaskedSecrets: > 0, Intent: CallIntent.Execute } && work.Runnable is null)
            state = state with { OriginalInputLost = true };
        state = state with { Work = work };
        var now = r.At;

        switch (state.Status)
        {
            case CallStatus.New:
                return PipelineStep.Unchanged(state with { Work = null });
            case CallStatus.Completed:
            case CallStatus.Interrupted:
                return PipelineStep.Unchanged(state with { Work = null });
            case CallStatus.Executing:
                // Its end is unknown: recorded as interrupted, never run again.
                return End(state, CallLifecycle.Interrupt(state, CallLifecycle.InterruptedOnRecovery, now));
            case CallStatus.Received:
                // Policy and hooks are deciders: running them again is safe.
                return AskPolicy(state, work, DecisionSubject(state, work));
            case CallStatus.AwaitingApproval:
                var pending = state.PendingApproval!;
                if (now < pending.Deadline)
                    return new(state, [], [new CallEffect.ScheduleApprovalDeadline(pending.ApprovalId, pending.Deadline)]);
                return Deadline(state, new CallInput.ApprovalDeadlineReached(pending.ApprovalId, r.FreshApprovalId, now));
        }

        if (PostHooksLostOnRestart(state, now) is { } lost) return lost;
        if (CallLifecycle.Completion(state, now) is [var completion])
            return End(state, CallCommandResult.Accepted(CallLifecycle.Apply(state, completion), [completion]));
        if (CallLifecycle.AwaitsApprovalRequest(state))
        {
            var requested = AutoApprove(CallLifecycle.RequestApproval(state, new ApprovalRequestSpec(r.FreshApprovalId, Settings.ApprovalTimeout), now), now);
            var after = requested.State with { Work = work };
            return CallLifecycle.IsExecutable(after) ? Then(after, requested.Events, Recheck(after, work, now)) : new(after, requested.Events, []);
        }
        if (CallLifecycle.IsExecutable(state))
            return state.OriginalInputLost
                ? End(state, CallLifecycle.Fail(state, CallLifecycle.InputLostOnRecovery, now))
                : Recheck(state, work, now);
        throw new InvalidOperationException($"no recovery rule for call {state.CallId} ({state.Status})");
    }
}
