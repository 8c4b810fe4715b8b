using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Journal;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>One step of a call: the pipeline decides, the session persists, then performs the effects.</summary>
public sealed partial class AgentSessionActor
{
    private bool _inWriteHandler;
    /// <summary>The steps whose events are being written, in the order their writes began (Akka runs the handlers in that order).</summary>
    private readonly Queue<Committed> _committing = new();
    private Action<object>? _eventWritten;

    /// <summary>
    /// Feeds one input to the call's pipeline, persists the events (PersistAllAsync lets many calls share journal
    /// writes; Persist when a side effect follows, so nothing else happens until they are written) and performs the
    /// effects once they are durable. Anything that throws while handling the call fails that call alone, building its
    /// input included: <paramref name="input"/> makes it from <paramref name="arg"/> (static lambdas, so a step
    /// allocates no closure).
    /// </summary>
    private PipelineStep? Step<TArg>(CallId id, TArg arg, Func<AgentSessionActor, TArg, CallInput> input, Action<CallState>? afterPersist = null)
    {
        var before = StateOf(id);
        PipelineStep step;
        try
        {
            step = _pipeline.Next(before, input(this, arg));
        }
        catch (Exception e)
        {
            Fault(id, e);
            return null;
        }
        if (step.IsRejected) return step;

        Commit(id, before, step, afterPersist);
        return step;
    }

    private void Fault(CallId id, Exception e)
    {
        var reason = $"internal error while handling the call: {e.GetType().Name}: {e.Message}";
        Context.GetLogger().Warning("call {0} failed alone: {1}", id, reason);
        var now = Now;
        // The failure is decided on the call's latest state, after the writes already under way.
        AfterWrites(id, callId =>
        {
            try
            {
                var ended = _pipeline.Next(StateOf(callId), new CallInput.StageFailed(reason, now));
                if (!ended.IsRejected) Commit(callId, StateOf(callId), ended, null);
            }
            catch (Exception again)
            {
                Context.GetLogger().Error(again, "call {0} could not be ended after a failure", callId);
                RejectSubmission(callId, reason);
            }
        });
    }

    private void Commit(CallId id, CallState before, PipelineStep step, Action<CallState>? afterPersist)
    {
        var state = step.State;
        // A slot bounds the runs going, not the writing of their records: a run that is over (or a call that no longer
        // waits for one) frees its slot now, so the next run does not wait for this write (a commit and its fsync).
        if (step.Effects.Any(static e => e is CallEffect.ReleaseSlot)) _services.Execution?.Slots?.Release(id);
        if (state.Status == CallStatus.New && state.Work is null) _calls.Remove(id);
        else _calls[id] = state;

        if (step.Events.IsEmpty)
        {
            afterPersist?.Invoke(Public(state));
            Perform(id, step.Effects, state);
            return;
        }
        Journalling(id, before);
        _unwritten[id] = _unwritten.GetValueOrDefault(id) + 1;
        var (stored, approvalEvents) = Stored(before, step.Events);
        // Akka.NET's Eventsourced loses count of a stashing write begun inside a write's handler (it then stashes every
        // command for good), so a step taken there writes without stashing; its effects still wait for the write.
        // One object per write and a handler made once per session. The step's effects run in the handler of its last
        // event (a DeferAsync after the write cost a loop message through the journal and back per write).
        _committing.Enqueue(new Committed(id, before, step, approvalEvents, afterPersist, stored.Length));
        var written = _eventWritten ??= InWriteHandler<object>(EventWritten);
        if (step.PersistBeforeEffects && !_inWriteHandler) PersistAll(stored, written);
        else PersistAllAsync(stored, written);
    }

    /// <summary>One event of the oldest write under way is in the journal: with its last, the step goes on.</summary>
    private void EventWritten(object _)
    {
        var oldest = _committing.Peek();
        if (--oldest.EventsLeft > 0) return;
        _committing.Dequeue();
        WhenCommitted(oldest);
    }

    private void WhenCommitted(Committed c)
    {
        var (id, state) = (c.Id, c.Step.State);
        Journalled(id, state);
        Written(id);
        foreach (var evt in c.Step.Events) KeepOutput(evt);
        SnapshotIfDue();
        if (!c.ApprovalEvents.IsEmpty) _services.Approvals.Tell(new ApprovalEventsRecorded(c.ApprovalEvents));
        c.AfterPersist?.Invoke(Public(state));
        Perform(id, c.Step.Effects, state);
        if (state.IsTerminal && !c.Before.IsTerminal) KeepFinished(id, state);
    }

    /// <summary>A step whose events are being written: what is done once they are in the journal.</summary>
    private sealed class Committed(CallId id, CallState before, PipelineStep step, ImmutableArray<CallEvent> approvalEvents, Action<CallState>? afterPersist, int events)
    {
        public CallId Id { get; } = id;
        public CallState Before { get; } = before;
        public PipelineStep Step { get; } = step;
        public ImmutableArray<CallEvent> ApprovalEvents { get; } = approvalEvents;
        public Action<CallState>? AfterPersist { get; } = afterPersist;
        /// <summary>The step's events whose write is not confirmed yet.</summary>
        public int EventsLeft { get; set; } = events;
    }

    /// <summary>Runs <paramref name="handler"/> once every write begun so far is in the journal.</summary>
    private void AfterWrites(CallId id, Action<CallId> handler) => DeferAsync(id, InWriteHandler(handler));

    private Action<T> InWriteHandler<T>(Action<T> handler) => value =>
    {
        _inWriteHandler = true;
        try
        {
            handler(value);
        }
        finally
        {
            _inWriteHandler = false;
        }
    };

    /// <summary>A write of the call is in the journal; once none is under way, readers held meanwhile get their answer.</summary>
    private void Written(CallId id)
    {
        if (_unwritten.GetValueOrDefault(id) > 1)
        {
            _unwritten[id]--;
            return;
        }
        _unwritten.Remove(id);
        if (_heldReaders.Remove(id, out var readers))
            foreach (var reader in readers) reader();
    }

    /// <summary>Readers see what the journal holds: while a write of the call is under way, the answer waits for it.</summary>
    private void WhenWritten(CallId id, Action answer)
    {
        if (!_unwritten.ContainsKey(id))
        {
            answer();
            return;
        }
        if (!_heldReaders.TryGetValue(id, out var readers)) _heldReaders[id] = readers = [];
        readers.Add(answer);
    }

    /// <summary>
    /// The events as written — approval events carry a tag so the broker can rebuild its index from the journal alone —
    /// and those approval events (none on the automatic path, which then allocates nothing for them).
    /// </summary>
    private static (object[] Stored, ImmutableArray<CallEvent> ApprovalEvents) Stored(CallState before, ImmutableArray<CallEvent> events)
    {
        var hadApproval = before.LastApproval is not null;
        foreach (var evt in events) hadApproval |= evt is ApprovalRequested;
        var stored = new object[events.Length];
        ImmutableArray<CallEvent>.Builder? approvalEvents = null;
        for (var i = 0; i < events.Length; i++)
        {
            var evt = events[i];
            if (!IsApprovalEvent(evt, hadApproval))
            {
                stored[i] = evt;
                continue;
            }
            stored[i] = new Tagged(evt, [ApprovalBroker.Tag]);
            (approvalEvents ??= ImmutableArray.CreateBuilder<CallEvent>()).Add(evt);
        }
        return (stored, approvalEvents?.ToImmutable() ?? []);
    }

    /// <summary>The events the approval index follows: requests, answers, timeouts, and the end of a call that had a request.</summary>
    private static bool IsApprovalEvent(CallEvent evt, bool callHadApproval) =>
        evt is ApprovalRequested or ApprovalAnswered or ApprovalTimedOut ||
        (evt is CallCompleted or CallInterrupted && callHadApproval);

    /// <summary>A call's state as others may see it: the recorded part, without the in-flight work (which holds the unmasked input).</summary>
    private static CallState Public(CallState state) => state.Work is null ? state : state with { Work = null };

    private void Perform(CallId id, ImmutableArray<CallEffect> effects, CallState stepState)
    {
        (CallEffect.EvaluatePolicy Call, WorkspacePolicy Policy)? judgeHere = null;
        foreach (var effect in effects)
        {
            try
            {
                if (effect is CallEffect.EvaluatePolicy evaluate && _services.Policies?.For(evaluate.Call.Workspace) is { } policy)
                    judgeHere = (evaluate, policy);
                else Perform(id, effect, stepState);
            }
            catch (Exception e)
            {
                Fault(id, e);
                return;
            }
        }
        // After the step's other effects (its stage deadline among them), as the policy actor's answer would come.
        if (judgeHere is { } judge) Judge(id, judge.Call, judge.Policy);
    }

    /// <summary>
    /// Evaluates the call with its workspace's recorded policy here and now (the policy actor's answer without the
    /// round trip); an evaluation that throws fails the call alone, as the policy stage's refusal would.
    /// </summary>
    private void Judge(CallId id, CallEffect.EvaluatePolicy evaluate, WorkspacePolicy policy)
    {
        Verdict verdict;
        try
        {
            verdict = policy.Evaluator.Evaluate(evaluate.Call, evaluate.Sandboxed);
        }
        catch (Exception e)
        {
            Context.GetLogger().Warning("the {0} stage failed on call {1} and refused it alone: {2}: {3}", PolicyActor.StageName, id, e.GetType().Name, e.Message);
            Step(id, e, static (self, e) => new CallInput.StageFailed($"the {PolicyActor.StageName} stage failed on this call: {e.GetType().Name}: {e.Message}", self.Now));
            return;
        }
        Step(id, (verdict, policy), static (self, judged) =>
            new CallInput.PolicyAnswered(VerdictSummary.From(judged.verdict), self.Now) { Policy = judged.policy, Hooks = judged.policy.Hooks });
    }

    private void Perform(CallId id, CallEffect effect, CallState stepState)
    {
        switch (effect)
        {
            case CallEffect.AcknowledgeSubmission:
                // The call index holds the id since its claim: no second registration.
                if (_acks.Remove(id, out var ack))
                {
                    var state = Public(stepState);
                    ack.ReplyTo?.Tell(new CallAccepted(id, state));
                    foreach (var waiter in ack.Waiters) waiter.Tell(new CallAlreadyExists(id, state));
                }
                break;
            case CallEffect.RefuseSubmission refuse:
                RejectSubmission(id, refuse.Reason);
                break;
            case CallEffect.EvaluatePolicy evaluate:
                _services.Policy.Tell(new EvaluateCall(evaluate.Call, evaluate.Sandboxed), Self);
                break;
            case CallEffect.RunHooks hooks:
                _services.Hooks!.Runner.Tell(new RunHooks(hooks.Call, hooks.PermissionMode, hooks.Hooks, hooks.Event, hooks.Response), Self);
                break;
            case CallEffect.FindGrant find:
                _services.Approvals.Tell(new FindGrant(find.Call, find.Decision), Self);
                break;
            case CallEffect.StartStageTimer timer:
                StartStageDeadline(id, timer);
                break;
            case CallEffect.CancelStageTimer:
                CancelStageDeadline(id);
                break;
            case CallEffect.ScheduleApprovalDeadline deadline:
                var delay = deadline.Due - Now;
                Timers.StartSingleTimer(ApprovalTimerKey(id), new ApprovalDue(id, deadline.ApprovalId), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
                break;
            case CallEffect.CancelApprovalDeadline:
                Timers.Cancel(ApprovalTimerKey(id));
                break;
            case CallEffect.PlanExecution plan:
                Plan(id, plan);
                break;
            case CallEffect.RequestSlot slot:
                TakeSlot(id, slot.Agent);
                break;
            case CallEffect.ReleaseSlot:
                break; // done in Commit, before the step's events are written
            case CallEffect.Execute { Plan: ToolPlan tool }:
                ToolExecution.RunAsync(id, tool, _services.Options.RunLimits?.Output ?? ExecutionPlanner.BashOutput).PipeTo(Self);
                break;
            case CallEffect.Execute execute:
                Execute(new ExecuteCall(id, (ExecutionPlan)execute.Plan));
                break;
            case CallEffect.AnswerWatchers:
                if (_watchers.Remove(id, out var watchers))
                    foreach (var watcher in watchers) Reply(id, watcher);
                break;
            default:
                throw new InvalidOperationException($"unknown effect {effect.GetType().Name}");
        }
    }

    /// <summary>Planning is pure and fast: done here, its outcome fed straight back to the pipeline.</summary>
    private void Plan(CallId id, CallEffect.PlanExecution plan)
    {
        var execution = _services.Execution ?? throw new InvalidOperationException("planning a run without execution services");
        var outcome = ExecutionPlanner.Plan(plan.Call, plan.Mode.Sandbox, plan.Mode.Network, plan.JudgedBy?.Snapshot ?? execution.Snapshot, execution.PlanningSandbox, _services.Options.RunLimits, execution.Tools, plan.JudgedFacts);
        Step(id, outcome, static (self, outcome) => outcome switch
        {
            ExecutionPlanOutcome.Planned planned => new CallInput.ExecutionPlanned(planned.Plan, self.Now),
            ExecutionPlanOutcome.ToolPlanned planned => new CallInput.ExecutionPlanned(planned.Plan, self.Now),
            ExecutionPlanOutcome.Refused refused => new CallInput.ExecutionPlanRefused(refused.Reason, self.Now),
            _ => throw new InvalidOperationException($"unknown plan outcome {outcome.GetType().Name}"),
        });
    }

    /// <summary>
    /// The run goes straight to the running worker of its kind; the sandbox supervisor (named in the message) redelivers
    /// it if that worker stopped meanwhile. With no worker of the kind running, the supervisor routes it.
    /// </summary>
    private void Execute(ExecuteCall call)
    {
        var execution = _services.Execution!;
        if (execution.Workers.Current(call.Plan.Worker) is { } worker) worker.Tell(new RunOnWorker(call, Self, execution.Sandbox), Self);
        else execution.Sandbox.Tell(call, Self);
    }

    /// <summary>A free slot is taken here and now; only a call that has to wait hears of its slot later (<see cref="SlotGranted"/>).</summary>
    private void TakeSlot(CallId id, AgentId agent)
    {
        var answer = _services.Execution!.Slots!.Take(id, agent, Self);
        Step(id, answer, static (self, answer) => answer switch
        {
            SlotGranted => new CallInput.SlotGranted(self.Now),
            SlotQueued queued => new CallInput.SlotQueued(queued.Reason, self.Now),
            SlotRefused refused => new CallInput.SlotRefused(refused.Reason, self.Now),
            _ => throw new InvalidOperationException($"unknown slot answer {answer.GetType().Name}"),
        });
    }

    private static string ApprovalTimerKey(CallId id) => "approval-" + id.Value;

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        if ((@event is Tagged tagged ? tagged.Payload : @event) is not CallEvent evt) return;
        RejectSubmission(evt.CallId, $"the journal rejected the call's events: {cause.Message}");
        // The state held here ran ahead of the journal: start again from what the journal holds.
        throw new InvalidOperationException($"the journal rejected an event of call {evt.CallId}: {cause.Message}", cause);
    }
}
