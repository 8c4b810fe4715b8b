using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>What the session does next after the pipeline recovered a call, read off the recovery step.</summary>
public enum RecoveryAction
{
    None,
    RerunDecision,
    AwaitApproval,
    StartExecution,
}

/// <summary>The recovery step of <see cref="CallPipeline"/> on a call folded from <c>events</c>, seen as the crash-recovery table's row.</summary>
internal sealed record RecoveryView(CallState State, ImmutableArray<CallEvent> EventsToPersist, RecoveryAction Action)
{
    public static RecoveryView Of(CallId id, IEnumerable<CallEvent> events, DateTimeOffset now, EscalationPolicy? escalation = null,
        ApprovalId? freshId = null, InputCipher? cipher = null)
    {
        var pipeline = new CallPipeline(new PipelineSettings { Executes = true, Escalation = escalation, Cipher = cipher });
        var step = pipeline.Next(CallLifecycle.Replay(id, events), new CallInput.Recovered(freshId ?? new ApprovalId("approval-recovered"), now));
        var action = step.State.Work?.Awaiting switch
        {
            AwaitedStage.Policy => RecoveryAction.RerunDecision,
            AwaitedStage.Clearance or AwaitedStage.Plan => RecoveryAction.StartExecution,
            _ when step.State.PendingApproval is not null => RecoveryAction.AwaitApproval,
            _ => RecoveryAction.None,
        };
        return new(step.State, step.Events, action);
    }
}
