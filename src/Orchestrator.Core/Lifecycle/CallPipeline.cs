using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// The whole life of one call as a pure function: <see cref="Next"/>(state, input) → events to persist and effects to
/// perform. Policy, hooks, grant lookup, approval (operator or automatic), the re-check of a call decided earlier,
/// execution planning, slots, the run and DESIGN §2's recovery table are steps here; the session actor only feeds it
/// the stages' answers, persists, and performs the effects. The recorded part of the state changes only through
/// <see cref="CallLifecycle.Apply"/>, so folding the events of any prefix gives the state the live run had.
/// </summary>
public sealed partial class CallPipeline(PipelineSettings settings)
{
    public PipelineSettings Settings { get; } = settings;

    // Made once, not per step: the policy's and the broker's deadlines depend only on the settings, the other effects
    // here carry no data.
    private readonly CallEffect.StartStageTimer _policyDeadline = new(settings.StageTimeout,
        $"policy evaluation failed: no verdict within {settings.StageTimeout.TotalSeconds:0.#} s");
    private readonly CallEffect.StartStageTimer _brokerDeadline = new(settings.StageTimeout,
        $"the approval broker did not answer within {settings.StageTimeout.TotalSeconds:0.#} s");
    private static readonly CallEffect Acknowledge = new CallEffect.AcknowledgeSubmission();
    private static readonly CallEffect CancelStageTimer = new CallEffect.CancelStageTimer();
    private static readonly CallEffect CancelApprovalDeadline = new CallEffect.CancelApprovalDeadline();
    private static readonly CallEffect ReleaseSlot = new CallEffect.ReleaseSlot();
    private static readonly CallEffect AnswerWatchers = new CallEffect.AnswerWatchers();

    public PipelineStep Next(CallState state, CallInput input)
    {
        var step = input switch
        {
            CallInput.Submitted s => Submit(state, s),
            CallInput.ApprovalAnswerGiven a => Answer(state, a),
            CallInput.ApprovalDeadlineReached d => Deadline(state, d),
            CallInput.Recovered r => Recover(state, r),
            CallInput.StageFailed f when state.Work is { Awaiting: AwaitedStage.PermissionHooks } work => PermissionUnanswered(state, work, f.At),
            CallInput.StageFailed f when state.Work is { Awaiting: AwaitedStage.PostHooks } => PostHooksEnded(state, [], f.Reason, f.At),
            CallInput.StageFailed f => Abandon(state, f.Reason, f.At),
            _ when state.IsTerminal || state.Work is null => PipelineStep.Unchanged(state),
            _ => StageAnswered(state, state.Work, input),
        };
        return step.IsRejected ? step : Settle(state, step);
    }

    private PipelineStep StageAnswered(CallState state, CallWork work, CallInput input) => (work.Awaiting, input) switch
    {
        (AwaitedStage.Policy, CallInput.PolicyAnswered p) => Judged(state, work with { Awaiting = AwaitedStage.None, JudgedBy = p.Policy ?? work.JudgedBy, Hooks = p.Hooks ?? work.Hooks }, p.Verdict, p.Hooks, p.At),
        (AwaitedStage.Clearance, CallInput.PolicyAnswered p) => Cleared(state, work with { JudgedBy = p.Policy ?? work.JudgedBy, ClearedFacts = p.Verdict.Facts, Hooks = p.Hooks ?? work.Hooks }, ExecutionClearance.Clear(state, p.Verdict), p.At),
        (AwaitedStage.Hooks, CallInput.HooksAnswered h) => HooksRan(state, work, h),
        (AwaitedStage.Grant, CallInput.GrantAnswered g) => Granted(state, work, g),
        (AwaitedStage.PermissionHooks, CallInput.HooksAnswered h) => PermissionAnswered(state, work, h),
        (AwaitedStage.PostHooks, CallInput.HooksAnswered h) => PostHooksEnded(state, h.Results, null, h.At),
        (AwaitedStage.Plan, CallInput.ExecutionPlanned p) => Planned(state, work with { Plan = p.Plan }, p.At),
        (AwaitedStage.Plan, CallInput.ExecutionPlanRefused r) => End(state, CallLifecycle.Fail(state, r.Reason, r.At)),
        (AwaitedStage.Slot, CallInput.SlotGranted g) => StartRun(state, work, g.At),
        (AwaitedStage.Slot, CallInput.SlotQueued q) => Queue(state, work, q),
        (AwaitedStage.Slot, CallInput.SlotRefused r) => End(state, CallLifecycle.Fail(state, r.Reason, r.At)),
        (AwaitedStage.Execution, CallInput.ExecutionFinished f) => Finished(state, work, f),
        (AwaitedStage.Execution, CallInput.ExecutionFailed f) => End(state, f.ProcessMayHaveStarted
            ? CallLifecycle.Interrupt(state, $"the run was cut short: {f.Reason}; it is not run again", f.At)
            : CallLifecycle.Fail(state, f.Reason, f.At)),
        // A late or unexpected answer (after a timeout ended the wait, or a duplicate): nothing to do.
        _ => PipelineStep.Unchanged(state),
    };

    private PipelineStep Submit(CallState state, CallInput.Submitted s)
    {
        if (s.Call.Id != state.CallId)
            throw new ArgumentException($"call {s.Call.Id} submitted to the state of call {state.CallId}", nameof(s));
        if (state.Status != CallStatus.New || state.Work is not null)
            return PipelineStep.Rejected(state, new Rejection(RejectionCode.NotAwaitingDecision, $"call {state.CallId} was already submitted"));
        return AskPolicy(state, new CallWork { Runnable = s.Call, Intent = s.Intent }, s.Call);
    }

    /// <summary>The hooks of the judging workspace that may run for <paramref name="call"/>'s tool.</summary>
    private static IReadOnlyList<HookDefinition> HooksFor(HookConfiguration? hooks, ToolCall call) => hooks?.For(call.ToolName) ?? [];

    private PipelineStep AskPolicy(CallState state, CallWork work, ToolCall call, AwaitedStage stage = AwaitedStage.Policy) =>
        Await(state, work with { Awaiting = stage }, new CallEffect.EvaluatePolicy(call, Sandboxed: work.Intent == CallIntent.Execute), _policyDeadline);

    private static PipelineStep Await(CallState state, CallWork work, CallEffect ask, CallEffect.StartStageTimer deadline) =>
        new(state with { Work = work }, [], [ask, deadline]);

    /// <summary>
    /// The policy's verdict for the decision: the judging workspace's <paramref name="hooks"/> next (once), else fold
    /// and decide.
    /// </summary>
    private PipelineStep Judged(CallState state, CallWork work, VerdictSummary verdict, HookConfiguration? hooks, DateTimeOffset now)
    {
        var call = DecisionSubject(state, work);
        // The verdict on the input a hook rewrote, folded with the same hook results (hooks never run twice).
        if (work.HooksRan) return Folded(state, work, HookFold.Fold(verdict, work.HookResults), now);
        var matching = HooksFor(hooks, call);
        if (matching.Count == 0) return Folded(state, work, verdict, now);
        var waiting = work with { Awaiting = AwaitedStage.Hooks, Verdict = verdict };
        return AwaitHooks(state, waiting, new CallEffect.RunHooks(call, PermissionMode(verdict), hooks!), matching, now);
    }

    /// <summary>Runs hooks under a deadline of the longest hook's timeout, recording the call first when it is new.</summary>
    private PipelineStep AwaitHooks(CallState state, CallWork waiting, CallEffect.RunHooks ask, IReadOnlyList<HookDefinition> matching, DateTimeOffset now)
    {
        var longest = matching.Max(h => h.Timeout) + Settings.StageTimeout;
        var deadline = new CallEffect.StartStageTimer(longest, $"the {ask.Event} hooks did not answer within {longest.TotalSeconds:0.#} s");
        if (state.Status != CallStatus.New) return Await(state, waiting, ask, deadline);
        // Hooks may take long: record the call first, so the submission is acknowledged and never lost meanwhile.
        var received = CallLifecycle.Receive(state, ask.Call, waiting.Intent, decision: null, now, Settings.Cipher);
        if (!received.IsAccepted) return Abandon(state, received.Rejection?.Message ?? "the call could not be recorded", now);
        return Then(received.State, received.Events, Await(received.State, waiting, ask, deadline));
    }

    private static string PermissionMode(VerdictSummary verdict) => verdict.Mode.AcceptEdits ? "acceptEdits" : "default";

    private PipelineStep HooksRan(CallState state, CallWork work, CallInput.HooksAnswered h)
    {
        var folded = HookFold.Fold(work.Verdict!, h.Results, h.UpdatedInput);
        work = work with { HookResults = h.Results.IsDefault ? [] : h.Results, Awaiting = AwaitedStage.None };
        if (folded.UpdatedInput is not { } rewrite) return Folded(state, work, folded.Verdict, h.At);
        var updated = McpTools.KeepReserved(DecisionSubject(state, work).Input, rewrite);
        var rewritten = DecisionSubject(state, work) with { Input = updated };
        return AskPolicy(state, work with { UpdatedInput = updated, Runnable = rewritten }, rewritten);
    }

    /// <summary>The final verdict (policy folded with hooks): an ask first looks for a grant that covers it.</summary>
    private PipelineStep Folded(CallState state, CallWork work, VerdictSummary verdict, DateTimeOffset now)
    {
        // A PermissionRequest hook allowed the ask with a rewrite: the rewrite, judged again, is allowed if it still
        // only asks (a deny stands: a rewrite never smuggles a denied command through).
        if (verdict.Decision == Decision.Ask && work.PermissionAllowReason is { } allowed)
            return Decide(state, work, HookFold.AllowedByPermissionHook(verdict, allowed), null, null, now);
        if (verdict.Decision != Decision.Ask) return Decide(state, work, verdict, null, null, now);
        return Await(state, work with { Awaiting = AwaitedStage.Grant, Verdict = verdict },
            new CallEffect.FindGrant(DecisionSubject(state, work), verdict.Decision), _brokerDeadline);
    }

    private PipelineStep Decide(CallState state, CallWork work, VerdictSummary verdict, GrantId? grant, ApprovalId? freshId, DateTimeOffset now)
    {
        var needsSpec = verdict.Decision == Decision.Ask && grant is null && (Settings.Approver is not null || work.Intent.RaisesApprovals());
        var spec = needsSpec
            ? new ApprovalRequestSpec(freshId ?? throw new ArgumentNullException(nameof(freshId), "an ask needs a fresh approval id"), Settings.ApprovalTimeout)
            : null;
        var call = DecisionSubject(state, work);
        var decision = new DecisionInput(verdict, work.HookResults.IsDefault ? [] : work.HookResults, spec, grant)
        {
            UpdatedInput = work.UpdatedInput,
            RealCall = call,
        };
        var result = state.Status == CallStatus.New
            ? CallLifecycle.Receive(state, call, work.Intent, decision, now, Settings.Cipher)
            : CallLifecycle.Decide(state, decision, now);
        result = AutoApprove(result, now);
        if (!result.IsAccepted || result.Events.IsEmpty)
            return Abandon(state, result.Rejection?.Message ?? "the lifecycle recorded nothing", now);
        // A call that ends here keeps no work (Settle would drop it): no state copy to attach it.
        var decided = result.State.IsTerminal ? result.State : result.State with { Work = work with { Awaiting = AwaitedStage.None, Verdict = null } };
        var events = CallLifecycle.Compact(result.Events);
        return CallLifecycle.IsExecutable(decided) ? Then(decided, events, BeginExecution(decided, decided.Work!, now)) : new(decided, events, []);
    }

    /// <summary>A pending approval is answered at once by the automatic approver, when there is one.</summary>
    private CallCommandResult AutoApprove(CallCommandResult result, DateTimeOffset now)
    {
        if (Settings.Approver is not { } approver || !result.IsAccepted || result.State.PendingApproval is not { } pending) return result;
        var answered = CallLifecycle.AnswerApproval(result.State, approver.Answer(pending), now);
        return answered.IsAccepted ? CallCommandResult.Accepted(answered.State, result.Events.AddRange(answered.Events)) : result;
    }

    /// <summary>What the policy and the hooks judge: the real input (submitted, or rewritten by a hook), else the recorded copy.</summary>
    private static ToolCall DecisionSubject(CallState state, CallWork work) =>
        work.Runnable ?? state.Call ?? throw new InvalidOperationException($"call {state.CallId} has no input to decide");

    private PipelineStep Answer(CallState state, CallInput.ApprovalAnswerGiven a)
    {
        var result = CallLifecycle.AnswerApproval(state, a.Answer, a.At);
        if (!result.IsAccepted) return PipelineStep.Rejected(state, result.Rejection!);
        var answered = result.State with { Work = state.Work ?? WorkOf(result.State) };
        return CallLifecycle.IsExecutable(answered) ? Then(answered, result.Events, Recheck(answered, answered.Work!, a.At)) : new(answered, result.Events, []);
    }

    private PipelineStep Deadline(CallState state, CallInput.ApprovalDeadlineReached d)
    {
        if (state.PendingApproval?.ApprovalId != d.ApprovalId) return PipelineStep.Unchanged(state);
        var escalation = Settings.Escalation;
        var result = CallLifecycle.TimeOut(state, d.At, escalation, escalation is null ? null : d.FreshApprovalId);
        if (result.Rejection?.Code == RejectionCode.TimeoutNotDue)
            return new(state, [], [new CallEffect.ScheduleApprovalDeadline(state.PendingApproval.ApprovalId, state.PendingApproval.Deadline)]);
        return result.IsAccepted ? new(result.State, result.Events, []) : PipelineStep.Unchanged(state);
    }

    /// <summary>Ends the call because a stage failed on it: refused outright when nothing is recorded yet, else failed (interrupted while running).</summary>
    private static PipelineStep Abandon(CallState state, string reason, DateTimeOffset now)
    {
        if (state.IsTerminal) return PipelineStep.Unchanged(state);
        if (state.Status == CallStatus.New)
            return state.Work is null ? PipelineStep.Unchanged(state) : new(state with { Work = null }, [], [new CallEffect.RefuseSubmission(reason)]);
        return End(state, state.Status == CallStatus.Executing ? CallLifecycle.Interrupt(state, reason, now) : CallLifecycle.Fail(state, reason, now));
    }

    private static PipelineStep End(CallState state, CallCommandResult result) =>
        result.IsAccepted ? new(result.State with { Work = state.Work }, result.Events, []) : PipelineStep.Unchanged(state);

    /// <summary>Events first, then the next step's events and effects, as one step.</summary>
    private static PipelineStep Then(CallState state, ImmutableArray<CallEvent> events, PipelineStep next) =>
        next with { Events = events.AddRange(next.Events), PersistBeforeEffects = next.PersistBeforeEffects };

    /// <summary>
    /// The effects every step implies from how the call changed: the acknowledgement of its first write, the approval
    /// deadline timer following the pending request, and at the end the slot released, timers cancelled, watchers answered.
    /// </summary>
    private static PipelineStep Settle(CallState before, PipelineStep step)
    {
        var after = step.State;
        var acknowledge = before.Status == CallStatus.New && after.Status != CallStatus.New;
        CallEffect? approvalTimer = after.PendingApproval is { } pending && pending.ApprovalId != before.PendingApproval?.ApprovalId
            ? new CallEffect.ScheduleApprovalDeadline(pending.ApprovalId, pending.Deadline)
            : after.PendingApproval is null && before.PendingApproval is not null ? CancelApprovalDeadline : null;
        var ends = after.IsTerminal && !before.IsTerminal;
        var stageTimerDone = IsTimed(before.Work?.Awaiting) &&
            (ends || (!IsTimed(after.Work?.Awaiting) && !step.Effects.Any(e => e is CallEffect.StartStageTimer)));
        if (!acknowledge && approvalTimer is null && !ends && !stageTimerDone) return step;

        var releaseSlot = ends && (after.Work?.SlotRequested == true || before.Work?.SlotRequested == true);
        // Sized exactly, so the array is handed over without a copy (this runs on every step of every call).
        var effects = ImmutableArray.CreateBuilder<CallEffect>((acknowledge ? 1 : 0) + (stageTimerDone ? 1 : 0) + step.Effects.Length +
            (approvalTimer is null ? 0 : 1) + (releaseSlot ? 1 : 0) + (ends ? 1 : 0));
        if (acknowledge) effects.Add(Acknowledge);
        if (stageTimerDone && !ends) effects.Add(CancelStageTimer);
        effects.AddRange(step.Effects);
        if (approvalTimer is not null) effects.Add(approvalTimer);
        if (ends)
        {
            if (stageTimerDone) effects.Add(CancelStageTimer);
            if (releaseSlot) effects.Add(ReleaseSlot);
            effects.Add(AnswerWatchers);
            if (after.Work is not null) after = after with { Work = null };
        }
        return step with { State = after, Effects = effects.MoveToImmutable() };
    }

    private static bool IsTimed(AwaitedStage? stage) => stage is AwaitedStage.Policy or AwaitedStage.Hooks or AwaitedStage.Grant
        or AwaitedStage.Clearance or AwaitedStage.PermissionHooks or AwaitedStage.PostHooks;
}
