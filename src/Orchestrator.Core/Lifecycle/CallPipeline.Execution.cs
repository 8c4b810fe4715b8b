using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Lifecycle;

/// <summary>From "may run" to the end of the run: clearance of a call decided earlier, planning, slot, start, finish.</summary>
public sealed partial class CallPipeline
{
    public const string ExecutionDisabled = "this server does not run calls (execution is disabled); submit with intent decide-only";

    /// <summary>
    /// A call decided earlier (approved later, or recovered after a restart) is judged again by the current policy
    /// before it runs: nothing runs that the server would not decide now.
    /// </summary>
    private PipelineStep Recheck(CallState state, CallWork work, DateTimeOffset now) =>
        CallThatRuns(state, work) is { } call ? AskPolicy(state, work, call, AwaitedStage.Clearance) : BeginExecution(state, work, now);

    private PipelineStep Cleared(CallState state, CallWork work, ExecutionClearanceResult clearance, DateTimeOffset now) =>
        clearance.IsCleared
            ? BeginExecution(state, work with { ClearedMode = clearance.Mode, Awaiting = AwaitedStage.None }, now)
            : End(state, CallLifecycle.Fail(state, clearance.Refusal!, now));

    /// <summary>Plans the run of the real input — never the masked copy in the history: a call whose masked input is all that is left fails.</summary>
    private PipelineStep BeginExecution(CallState state, CallWork work, DateTimeOffset now)
    {
        if (!Settings.Executes) return End(state, CallLifecycle.Fail(state, ExecutionDisabled, now));
        if (CallThatRuns(state, work) is not { } call) return End(state, CallLifecycle.Fail(state, CallLifecycle.InputLostOnRecovery, now));
        var mode = work.ClearedMode ?? ExecutionClearance.Granted(state, state.Decided!.Verdict.Mode);
        return new(state with { Work = work with { Awaiting = AwaitedStage.Plan } }, [], [new CallEffect.PlanExecution(call, mode, work.JudgedBy, work.ClearedFacts ?? state.Decided?.Verdict.Facts)]);
    }

    private PipelineStep Planned(CallState state, CallWork work, DateTimeOffset now) =>
        Settings.LimitsRuns
            ? new(state with { Work = work with { Awaiting = AwaitedStage.Slot, SlotRequested = true } }, [], [new CallEffect.RequestSlot(state.Call!.Agent)])
            : StartRun(state, work, now);

    private static PipelineStep Queue(CallState state, CallWork work, CallInput.SlotQueued queued)
    {
        var result = CallLifecycle.QueueExecution(state, queued.Reason, queued.At);
        return result.IsAccepted ? new(result.State with { Work = work }, result.Events, []) : PipelineStep.Unchanged(state);
    }

    /// <summary>Holding a slot (or without caps): <c>ExecutionStarted</c> is made durable first, and only then is the plan run.</summary>
    private static PipelineStep StartRun(CallState state, CallWork work, DateTimeOffset now)
    {
        var plan = work.Plan!;
        var started = CallLifecycle.StartExecution(state, plan.SandboxKind, plan.ProfileDigest, now, plan.RecordedLayers);
        if (!started.IsAccepted) return End(state, CallLifecycle.Fail(state, started.Rejection!.Message, now));
        return new(started.State with { Work = work with { Awaiting = AwaitedStage.Execution, Plan = null } }, started.Events,
            [new CallEffect.Execute(plan)], PersistBeforeEffects: true);
    }

    /// <summary>The real input that runs: the submitted (or hook-rewritten) call; the recorded one only when nothing was masked.</summary>
    private static ToolCall? CallThatRuns(CallState state, CallWork work)
    {
        if (work.Runnable is { } runnable) return runnable;
        if (state.Received is { MaskedSecrets: > 0 } || state.Call is null) return null;
        return state.Decided?.UpdatedInput is { } updated ? state.Call with { Input = updated } : state.Call;
    }

    /// <summary>The working data a recorded call starts with in this process: its real input, when it can be had.</summary>
    private CallWork WorkOf(CallState state) => new()
    {
        Intent = state.Intent,
        Runnable = state.Received is { } received && received.MaskedSecrets > 0 ? CallLifecycle.RealCall(received, Settings.Cipher) : null,
    };
}
