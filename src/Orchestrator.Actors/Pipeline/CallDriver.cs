using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// <c>sessions/&lt;session&gt;/call-&lt;id&gt;</c>: drives one call forward through the stages (policy, grants, approval by
/// the automatic approver, execution) and hands every event to its session to persist, moving on only once they are
/// written. Decisions come from <see cref="CallLifecycle"/>. A driver that throws fails its own call only: the session
/// records the failure and its other calls go on.
/// </summary>
internal sealed class CallDriver : ReceiveActor
{
    private readonly SessionServices _services;
    private readonly IActorRef _session;
    private readonly CallId _callId;
    private readonly SubmitCall? _submission;
    /// <summary>What runs: the submitted call, or the call a hook rewrote it to (unmasked; null after a restart).</summary>
    private ToolCall? _runnable;
    private ImmutableArray<HookResult> _hookResults = [];
    private ImmutableDictionary<string, string>? _updatedInput;
    private bool _hooksRan;
    /// <summary>The call (and intent) whose verdict the policy owes us, while it does.</summary>
    private (ToolCall Call, CallIntent Intent)? _evaluating;
    private CallState _state;
    private Action<CallState>? _afterPersist;
    private bool _abandoning;
    /// <summary>The plan that runs once an execution slot is granted.</summary>
    private (ExecutionServices Execution, ExecutionPlan Plan)? _planned;
    private bool _slotGranted;
    /// <summary>While <c>ExecutionQueued</c> is being written.</summary>
    private bool _queuing;
    /// <summary>While the current policy judges again a call decided earlier (<see cref="ExecutionClearance"/>).</summary>
    private bool _rechecking;
    /// <summary>The mode a re-judged call runs under: the stricter of the recorded and the current one.</summary>
    private RecordedMode? _clearedMode;
    /// <summary>The workspace policy of the latest verdict: the run's sandbox profile is built from its snapshot.</summary>
    private Core.Policy.Workspaces.WorkspacePolicy? _judgedBy;

    public CallDriver(CallDriverStart start, SessionServices services)
    {
        _services = services;
        _session = start.Session;
        _state = start.State;
        _submission = start.Submission;
        _callId = start.State.CallId;
        _runnable = start.Submission?.Call;

        Receive<CallEventsPersisted>(msg =>
        {
            _state = msg.State;
            var next = _afterPersist;
            _afterPersist = null;
            next?.Invoke(msg.State);
        });
        Receive<CallEventsNotPersisted>(msg => Abandon(msg.Reason));
        Receive<CallEvaluated>(msg =>
        {
            Context.SetReceiveTimeout(null);
            if (_evaluating is not { } pending) return; // late, after the timeout ended the call
            _evaluating = null;
            _judgedBy = msg.Policy ?? _judgedBy;
            var (call, intent) = pending;
            if (_rechecking)
            {
                _rechecking = false;
                Cleared(ExecutionClearance.Clear(_state, VerdictSummary.From(msg.Verdict)));
                return;
            }
            AfterPolicy(call, intent, VerdictSummary.From(msg.Verdict));
        });
        Receive<ReceiveTimeout>(_ =>
        {
            Context.SetReceiveTimeout(null);
            if (_evaluating is not null) Abandon($"policy evaluation failed: no verdict within {_services.Options.StageTimeout.TotalSeconds:0.#} s");
        });
        // A stage that threw on this call refused it (PoisonGuard): the call fails at once, alone.
        Receive<StageRefused>(msg =>
        {
            Context.SetReceiveTimeout(null);
            _evaluating = null;
            Abandon($"the {msg.Stage} stage failed on this call: {msg.Reason}");
        });
        Receive<HooksAnswered>(AfterHooks);
        Receive<GrantAnswered>(msg => Decide(msg.Call, msg.Intent, msg.Verdict, msg.Grant?.Id));
        Receive<StageFailed>(msg => Abandon(msg.Reason));
        Receive<SlotGranted>(_ =>
        {
            _slotGranted = true;
            if (!_queuing) StartRun();
        });
        Receive<SlotQueued>(msg =>
        {
            if (_slotGranted) return;
            var queued = CallLifecycle.QueueExecution(_state, msg.Reason, Now);
            if (!queued.IsAccepted || queued.Events.IsEmpty) return;
            _queuing = true;
            Persist(queued.Events, beforeSideEffect: false, then: _ =>
            {
                _queuing = false;
                if (_slotGranted) StartRun();
            });
        });
        Receive<SlotRefused>(msg => End(CallLifecycle.Fail(_state, msg.Reason, Now)));
        Receive<CallExecuted>(Executed);
        Receive<CallExecutionFailed>(msg => End(msg.ProcessMayHaveStarted
            ? CallLifecycle.Interrupt(_state, $"the run was cut short: {msg.Reason}; it is not run again", Now)
            : CallLifecycle.Fail(_state, msg.Reason, Now)));

        if (start.Start == DriverStart.Decide) BeginDecision();
        else Recheck();
    }

    public static Props Props(CallDriverStart start, SessionServices services) =>
        // One driver per call: reflection activation, not an expression tree evaluated on every call.
        Akka.Actor.Props.Create(typeof(CallDriver), start, services);

    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            _session.Tell(new CallDriverCrashed(_callId, $"{e.GetType().Name}: {e.Message}"));
            throw;
        }
    }

    /// <summary>Encrypts the real input of a call whose secrets the journal shows masked.</summary>
    private InputCipher? Cipher => Journal.JournalIntegrity.Get(Context.System).InputCipher;

    private void BeginDecision()
    {
        var call = _submission?.Call ?? _state.Call ?? throw new InvalidOperationException($"call {_callId} has no input to decide");
        var intent = _submission?.Intent ?? _state.Intent;
        if (HasHooks(call) && _state.Status == CallStatus.New)
        {
            // Hooks may take long: record the call first, so the submission is acknowledged and never lost meanwhile.
            var received = CallLifecycle.Receive(_state, call, intent, decision: null, Now, Cipher);
            Persist(received.Events, beforeSideEffect: false, then: _ => AskPolicy(call, intent));
            return;
        }
        AskPolicy(call, intent);
    }

    private bool HasHooks(ToolCall call) => _services.Hooks is { } hooks && hooks.Configuration.For(call.ToolName).Count > 0;

    /// <summary>A plain Tell (the policy answers its sender), bounded by a receive timeout: no Ask, no temporary actor per call.</summary>
    private void AskPolicy(ToolCall call, CallIntent intent)
    {
        _evaluating = (call, intent);
        Context.SetReceiveTimeout(_services.Options.StageTimeout);
        _services.Policy.Tell(new EvaluateCall(call, Sandboxed: intent == CallIntent.Execute), Self);
    }

    private void AfterPolicy(ToolCall call, CallIntent intent, VerdictSummary verdict)
    {
        if (_hooksRan)
        {
            // The policy's verdict on the input a hook rewrote, folded with the same hook results (hooks never run twice).
            AfterFold(call, intent, HookFold.Fold(verdict, _hookResults));
            return;
        }
        if (!HasHooks(call))
        {
            AfterFold(call, intent, verdict);
            return;
        }
        var hooks = _services.Hooks!;
        var longest = hooks.Configuration.For(call.ToolName).Max(h => h.Timeout);
        hooks.Runner.Ask<HooksRan>(new RunHooks(call, verdict.Mode.AcceptEdits ? "acceptEdits" : "default"), longest + _services.Options.StageTimeout)
            .PipeTo(Self,
                success: ran => new HooksAnswered(call, intent, verdict, ran),
                failure: cause => new StageFailed($"the hooks did not answer: {cause.Message}"));
    }

    private void AfterHooks(HooksAnswered msg)
    {
        _hooksRan = true;
        _hookResults = msg.Ran.Results;
        var folded = HookFold.Fold(msg.Verdict, msg.Ran.Results, msg.Ran.UpdatedInput);
        if (folded.UpdatedInput is not { } updated)
        {
            AfterFold(msg.Call, msg.Intent, folded.Verdict);
            return;
        }
        _updatedInput = updated;
        var rewritten = msg.Call with { Input = updated };
        _runnable = rewritten;
        _session.Tell(new CallInputRewritten(new SubmitCall(rewritten, msg.Intent)));
        AskPolicy(rewritten, msg.Intent);
    }

    private void AfterFold(ToolCall call, CallIntent intent, VerdictSummary verdict)
    {
        if (verdict.Decision != Decision.Ask)
        {
            Decide(call, intent, verdict, null);
            return;
        }
        _services.Approvals.Ask<GrantLookup>(new FindGrant(call, verdict.Decision), _services.Options.StageTimeout)
            .PipeTo(Self,
                success: lookup => new GrantAnswered(call, intent, verdict, lookup.Grant),
                failure: cause => new StageFailed($"the approval broker did not answer: {cause.Message}"));
    }

    private void Decide(ToolCall call, CallIntent intent, VerdictSummary verdict, GrantId? grant)
    {
        var now = Now;
        var approver = _services.Options.Approver;
        var needsSpec = verdict.Decision == Decision.Ask && grant is null && (approver is not null || intent == CallIntent.Execute);
        var decision = new DecisionInput(verdict, _hookResults, needsSpec ? NewApprovalSpec(_services.Options) : null, grant)
        {
            UpdatedInput = _updatedInput,
            RealCall = call,
        };

        var result = _state.Status == CallStatus.New
            ? CallLifecycle.Receive(_state, call, intent, decision, now, Cipher)
            : CallLifecycle.Decide(_state, decision, now);
        if (approver is { } automatic) result = AutoApprove(result, automatic, now);
        if (!result.IsAccepted || result.Events.IsEmpty)
        {
            Abandon(result.Rejection?.Message ?? "the lifecycle recorded nothing");
            return;
        }
        Persist(CallLifecycle.Compact(result.Events), beforeSideEffect: false, then: state =>
        {
            if (CallLifecycle.IsExecutable(state)) BeginExecution(state);
            else Finish();
        });
    }

    private DateTimeOffset Now => _services.Options.Clock.GetUtcNow();

    /// <summary>
    /// A call decided before this driver (approved later, or recovered after a restart) is judged again by the current
    /// policy before it runs: nothing runs that the server would not decide now.
    /// </summary>
    private void Recheck()
    {
        if (CallThatRuns(_state) is not { } call)
        {
            BeginExecution(_state);
            return;
        }
        _rechecking = true;
        AskPolicy(call, _state.Intent);
    }

    private void Cleared(ExecutionClearanceResult clearance)
    {
        if (!clearance.IsCleared)
        {
            End(CallLifecycle.Fail(_state, clearance.Refusal!, Now));
            return;
        }
        _clearedMode = clearance.Mode;
        BeginExecution(_state);
    }

    /// <summary>The real input that runs: the submitted (or hook-rewritten) call; null when only a masked copy is left.</summary>
    private ToolCall? CallThatRuns(CallState state)
    {
        if (_runnable is { } runnable) return runnable;
        if (state.Received is { MaskedSecrets: > 0 } || state.Call is null) return null;
        return state.Decided?.UpdatedInput is { } updated ? state.Call with { Input = updated } : state.Call;
    }

    /// <summary>
    /// Plans the run, makes <c>ExecutionStarted</c> durable (Persist, not async), and only then hands the call to the
    /// sandbox supervisor. The input that runs is the submitted one, never the masked copy in the history: a call whose
    /// masked input is all that is left fails instead.
    /// </summary>
    private void BeginExecution(CallState state)
    {
        if (_services.Execution is not { } execution)
        {
            End(CallLifecycle.Fail(state, "this server does not run calls (execution is disabled); submit with intent decide-only", Now));
            return;
        }
        if (CallThatRuns(state) is not { } call)
        {
            End(CallLifecycle.Fail(state, CallLifecycle.InputLostOnRecovery, Now));
            return;
        }
        var mode = _clearedMode ?? state.Decided!.Verdict.Mode;
        switch (ExecutionPlanner.Plan(call, mode.Sandbox, mode.Network, _judgedBy?.Snapshot ?? execution.Snapshot, execution.PlanningSandbox, _services.Options.RunLimits))
        {
            case ExecutionPlanOutcome.Refused refused:
                End(CallLifecycle.Fail(state, refused.Reason, Now));
                return;
            case ExecutionPlanOutcome.Planned { Plan: var plan }:
                _planned = (execution, plan);
                if (execution.Slots is { } slots) slots.Tell(new RequestSlot(_callId, call.Agent));
                else StartRun();
                return;
        }
    }

    /// <summary>Holding a slot (or without caps): record the start, durably, and only then hand the call to the sandbox.</summary>
    private void StartRun()
    {
        if (_planned is not { } planned) return;
        _planned = null;
        var (execution, plan) = planned;
        var started = CallLifecycle.StartExecution(_state, plan.SandboxKind, plan.ProfileDigest, Now);
        if (!started.IsAccepted)
        {
            End(CallLifecycle.Fail(_state, started.Rejection!.Message, Now));
            return;
        }
        Persist(started.Events, beforeSideEffect: true, then: _ => execution.Sandbox.Tell(new ExecuteCall(_callId, plan)));
    }

    private void Executed(CallExecuted msg)
    {
        _session.Tell(new CallOutputCaptured(_callId, new CallOutput(msg.Stdout.Text, msg.Stderr.Text, msg.Stdout.Truncated, msg.Stderr.Truncated)));
        End(CallLifecycle.FinishExecution(_state, msg.Result, Now));
    }

    /// <summary>Persists the call's last events (if the lifecycle accepts them) and stops.</summary>
    private void End(CallCommandResult result)
    {
        if (!result.IsAccepted || result.Events.IsEmpty) { Finish(); return; }
        Persist(result.Events, beforeSideEffect: false, then: _ => Finish());
    }

    /// <summary>Answers a pending approval at once with the automatic approver, appending its events to <paramref name="result"/>.</summary>
    internal static CallCommandResult AutoApprove(CallCommandResult result, AutomaticApprover approver, DateTimeOffset now)
    {
        if (!result.IsAccepted || result.State.PendingApproval is not { } pending) return result;
        var answered = CallLifecycle.AnswerApproval(result.State, approver.Answer(pending), now);
        return answered.IsAccepted
            ? CallCommandResult.Accepted(answered.State, result.Events.AddRange(answered.Events))
            : result;
    }

    internal static ApprovalRequestSpec NewApprovalSpec(PipelineOptions options) =>
        new(new ApprovalId(Guid.NewGuid().ToString("n")), options.ApprovalTimeout);

    private void Persist(ImmutableArray<CallEvent> events, bool beforeSideEffect, Action<CallState> then)
    {
        _afterPersist = then;
        _session.Tell(new PersistCallEvents(_callId, events, beforeSideEffect));
    }

    private void Abandon(string reason)
    {
        if (_abandoning) { Finish(); return; }
        _abandoning = true;
        if (_state.Status == CallStatus.New)
        {
            _session.Tell(new CallAbandoned(_callId, reason));
            Finish();
            return;
        }
        // Something is recorded already: the call must end in the history, not just vanish.
        End(_state.Status == CallStatus.Executing ? CallLifecycle.Interrupt(_state, reason, Now) : CallLifecycle.Fail(_state, reason, Now));
    }

    private void Finish()
    {
        _session.Tell(new CallDriverFinished(_callId));
        Context.Stop(Self);
    }

    private sealed record HooksAnswered(ToolCall Call, CallIntent Intent, VerdictSummary Verdict, HooksRan Ran);

    private sealed record GrantAnswered(ToolCall Call, CallIntent Intent, VerdictSummary Verdict, Grant? Grant);

    private sealed record StageFailed(string Reason);
}
