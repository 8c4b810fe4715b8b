using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The event-sourced record of one agent session's calls (persistence id <c>session-{sessionId}</c>). It alone persists
/// the session's events; each in-flight call is driven by a <see cref="CallDriver"/> child that asks it to persist and
/// waits. Acknowledgements go out only after a call's first events are in the journal. Operator answers and approval
/// timeouts are decided here (by <see cref="CallLifecycle"/>) while no driver runs for the call. On start it replays the
/// journal and applies DESIGN §2's recovery table.
/// </summary>
public sealed partial class AgentSessionActor : VerifiedPersistentActor, IWithTimers
{
    private readonly SessionServices _services;
    private readonly Dictionary<CallId, CallState> _calls = [];
    /// <summary>New calls not yet persisted: who submitted them, and resubmissions waiting for the first write.</summary>
    private readonly Dictionary<CallId, PendingAck> _acks = [];
    private readonly Dictionary<CallId, IActorRef> _drivers = [];
    private readonly Dictionary<IActorRef, CallId> _driverCalls = [];
    private readonly HashSet<CallId> _finishedDrivers = [];
    private readonly Dictionary<CallId, string> _driverCrashes = [];
    private readonly Dictionary<CallId, List<IActorRef>> _watchers = [];
    /// <summary>Run output of the most recent calls (memory only, at most <see cref="OutputsKept"/>; the journal keeps digests).</summary>
    private readonly Dictionary<CallId, CallOutput> _outputs = [];
    private readonly Queue<CallId> _outputOrder = new();
    private const int OutputsKept = 64;
    /// <summary>
    /// Submitted inputs of open calls, unmasked, in memory only: an approved call runs what was submitted, not the masked
    /// copy the journal holds. Lost with the process (then a call with masked secrets cannot run and fails).
    /// </summary>
    private readonly Dictionary<CallId, SubmitCall> _submissions = [];
    /// <summary>During recovery only: the events of each open call, for <see cref="CallLifecycle.Recover"/>.</summary>
    private Dictionary<CallId, List<CallEvent>>? _recovering = [];
    /// <summary>The agent whose first call opened this session: the session is its own, no other agent's call enters it.</summary>
    private AgentId? _owner;

    public AgentSessionActor(SessionId session, SessionServices services)
    {
        Session = session;
        PersistenceId = PersistenceIdOf(session);
        _services = services;

        Recover<CallEvent>(RecoverEvent);
        Recover<RecoveryCompleted>(_ => CompleteRecovery());

        Command<SubmitCall>(Submit);
        Command<ClaimAnswered>(Claimed);
        Command<PersistCallEvents>(msg =>
        {
            var driver = Sender;
            PersistFor(msg.CallId, msg.Events, msg.BeforeSideEffect,
                then: state => driver.Tell(new CallEventsPersisted(state)),
                failed: reason => driver.Tell(new CallEventsNotPersisted(reason)));
        });
        Command<CallAbandoned>(msg => RejectSubmission(msg.CallId, msg.Reason));
        Command<CallInputRewritten>(msg => _submissions[msg.Submission.Call.Id] = msg.Submission);
        Command<CallOutputCaptured>(KeepOutput);
        Command<CallDriverFinished>(msg => _finishedDrivers.Add(msg.CallId));
        Command<CallDriverCrashed>(msg => _driverCrashes[msg.CallId] = msg.Reason);
        Command<Terminated>(msg => DriverStopped(msg.ActorRef));
        Command<AnswerApproval>(Answer);
        Command<ApprovalDue>(TimeOut);
        Command<GetCall>(msg => Sender.Tell(Snapshot(msg.CallId)));
        Command<WatchCall>(Watch);
        Command<ReceiveTimeout>(_ =>
        {
            if (IsIdle) Context.Parent.Tell(new PassivateSession(Session));
        });
        Command<ConfirmPassivation>(_ =>
        {
            if (IsIdle) Context.Stop(Self);
            else Context.Parent.Tell(new PassivationCancelled(Session));
        });
        Command<WakeSession>(_ => Sender.Tell(new SessionAwake(Session, _calls.Count, _calls.Values.Count(s => !s.IsTerminal))));
    }

    public SessionId Session { get; }

    /// <summary>Nothing would be lost by stopping now: the journal holds everything but in-flight work, waiters and approval timers.</summary>
    private bool IsIdle => _drivers.Count == 0 && _acks.Count == 0 && _watchers.Count == 0 &&
        !_calls.Values.Any(c => c.Status == CallStatus.AwaitingApproval);

    protected override void PreStart()
    {
        base.PreStart();
        if (_services.Options.PassivateAfter is { } idle) Context.SetReceiveTimeout(idle);
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdOf(SessionId session) => $"session-{session.Value}";

    public static Props Props(SessionId session, SessionServices services) =>
        Akka.Actor.Props.Create(() => new AgentSessionActor(session, services));

    /// <summary>A driver that throws is stopped; <see cref="DriverStopped"/> then ends its call (and only its call).</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 0, withinTimeRange: TimeSpan.Zero, localOnlyDecider: _ => Directive.Stop);

    private DateTimeOffset Now => _services.Options.Clock.GetUtcNow();

    private CallState StateOf(CallId id) => _calls.TryGetValue(id, out var known) ? known : CallState.New(id);

    private void ApplyEvent(CallEvent evt)
    {
        _calls[evt.CallId] = CallLifecycle.Apply(StateOf(evt.CallId), evt);
        _owner ??= _calls[evt.CallId].Call?.Agent;
    }

    private void RecoverEvent(CallEvent evt)
    {
        ApplyEvent(evt);
        if (!_recovering!.TryGetValue(evt.CallId, out var events)) _recovering[evt.CallId] = events = [];
        events.Add(evt);
        if (_calls[evt.CallId].IsTerminal) _recovering.Remove(evt.CallId);
    }

    /// <summary>Applies DESIGN §2's crash-recovery table to every open call and persists what it implies.</summary>
    private void CompleteRecovery()
    {
        var recovering = _recovering ?? [];
        _recovering = null;
        if (_calls.Count > 0) _services.CallIndex.Tell(new CallsRegistered(Session, [.. _calls.Keys]));

        var now = Now;
        var escalation = _services.Options.Escalation;
        foreach (var (callId, events) in recovering)
        {
            var cipher = JournalIntegrity.Get(Context.System).InputCipher;
            var recovered = CallLifecycle.Recover(callId, events, now, escalation,
                escalation is null ? null : CallDriver.NewApprovalSpec(_services.Options).Id, cipher);
            // The events recovery returns are applied by the persist handler, on top of the replayed state.
            _calls[callId] = _calls[callId] with { OriginalInputLost = recovered.State.OriginalInputLost };
            // A call whose secrets the journal masks runs (after an approval, too) with its real input, decrypted.
            if (recovered.State.Received is { MaskedSecrets: > 0 } received && CallLifecycle.RealCall(received, cipher) is { } real)
                _submissions[callId] = new SubmitCall(real, received.Intent);
            switch (recovered.Action)
            {
                case RecoveryAction.RerunDecision:
                    StartDriver(DriverStart.Decide, recovered.State, submission: null);
                    break;
                case RecoveryAction.StartExecution:
                    StartDriver(DriverStart.Execute, recovered.State, _submissions.GetValueOrDefault(callId));
                    break;
                case RecoveryAction.RequestApproval:
                    var requested = CallLifecycle.RequestApproval(recovered.State, CallDriver.NewApprovalSpec(_services.Options), now);
                    if (_services.Options.Approver is { } approver) requested = CallDriver.AutoApprove(requested, approver, now);
                    PersistFor(callId, requested.Events, beforeSideEffect: true, then: ContinueAfterAnswer, failed: _ => { });
                    break;
                default:
                    if (!recovered.EventsToPersist.IsEmpty)
                        PersistFor(callId, recovered.EventsToPersist, beforeSideEffect: true, then: _ => { }, failed: _ => { });
                    else
                        ScheduleTimeout(_calls[callId]);
                    break;
            }
        }
    }

    private void Submit(SubmitCall msg)
    {
        var id = msg.Call.Id;
        if (_owner is { } owner && owner != msg.Call.Agent)
        {
            Sender.Tell(new SessionOwnedByAnotherAgent(id, Session, owner));
            return;
        }
        if (_acks.TryGetValue(id, out var pending))
        {
            pending.Waiters.Add(Sender);
            return;
        }
        if (_calls.TryGetValue(id, out var state))
        {
            Sender.Tell(new CallAlreadyExists(id, state));
            return;
        }
        if (msg.Call.Session != Session)
        {
            Sender.Tell(new CallNotAccepted(id, $"call {id} belongs to session {msg.Call.Session}, not {Session}"));
            return;
        }
        _owner ??= msg.Call.Agent;
        _acks[id] = new PendingAck(Sender, []);
        _submissions[id] = msg;
        // Claim the id first (atomically, in the call index) so no other session records it meanwhile.
        _services.CallIndex.Ask<object>(new ClaimCall(id, Session), _services.Options.StageTimeout)
            .PipeTo(Self, success: answer => new ClaimAnswered(msg, answer),
                failure: e => new ClaimAnswered(msg, new CallNotAccepted(id, $"the call index did not answer: {e.Message}")));
    }

    private void StartDriver(DriverStart start, CallState state, SubmitCall? submission)
    {
        if (_drivers.ContainsKey(state.CallId)) return;
        var name = "call-" + Uri.EscapeDataString(state.CallId.Value);
        if (!Context.Child(name).IsNobody()) name += "-" + Guid.NewGuid().ToString("n")[..8];
        var driver = Context.ActorOf(CallDriver.Props(new CallDriverStart(start, state, submission, Self), _services), name);
        Context.Watch(driver);
        _drivers[state.CallId] = driver;
        _driverCalls[driver] = state.CallId;
    }

    /// <summary>
    /// Persists a batch of one call's events (PersistAllAsync lets many calls share journal writes; Persist when a side
    /// effect follows, so nothing else happens until the events are written), then acknowledges the submission, informs
    /// the approval broker and the call index, (re)arms the approval timer and answers watchers.
    /// </summary>
    private void PersistFor(CallId id, ImmutableArray<CallEvent> events, bool beforeSideEffect, Action<CallState> then, Action<string> failed)
    {
        var before = StateOf(id);
        try
        {
            _ = events.Aggregate(before, CallLifecycle.Apply);
        }
        catch (InvalidOperationException e)
        {
            failed(e.Message);
            return;
        }

        void Applied(object stored) => ApplyEvent((CallEvent)(stored is Tagged tagged ? tagged.Payload : stored));
        // Approval events carry a tag so the broker can rebuild its index from the journal alone.
        var hadApproval = before.LastApproval is not null || events.Any(e => e is ApprovalRequested);
        var approvalEvents = events.Where(e => IsApprovalEvent(e, hadApproval)).ToImmutableArray();
        var stored = events.Select(e => IsApprovalEvent(e, hadApproval) ? new Tagged(e, [ApprovalBroker.Tag]) : (object)e).ToArray();
        if (beforeSideEffect) PersistAll(stored, Applied);
        else PersistAllAsync(stored, Applied);
        DeferAsync(id, _ =>
        {
            if (!_calls.TryGetValue(id, out var state)) return;
            if (before.Status == CallStatus.New) _services.CallIndex.Tell(new CallsRegistered(Session, [id]));
            if (!approvalEvents.IsEmpty) _services.Approvals.Tell(new ApprovalEventsRecorded(approvalEvents));
            if (_acks.Remove(id, out var ack))
            {
                ack.ReplyTo?.Tell(new CallAccepted(id, state));
                foreach (var waiter in ack.Waiters) waiter.Tell(new CallAlreadyExists(id, state));
            }
            ScheduleTimeout(state);
            if (state.IsTerminal) _submissions.Remove(id);
            if (state.IsTerminal && _watchers.Remove(id, out var watchers))
                foreach (var watcher in watchers) watcher.Tell(Snapshot(id));
            then(state);
        });
    }

    /// <summary>The events the approval index follows: requests, answers, timeouts, and the end of a call that had a request.</summary>
    private static bool IsApprovalEvent(CallEvent evt, bool callHadApproval) =>
        evt is ApprovalRequested or ApprovalAnswered or ApprovalTimedOut ||
        (evt is CallCompleted or CallInterrupted && callHadApproval);

    private void ScheduleTimeout(CallState state)
    {
        var key = "approval-" + state.CallId.Value;
        if (state.PendingApproval is { } pending)
        {
            var delay = pending.Deadline - Now;
            Timers.StartSingleTimer(key, new ApprovalDue(state.CallId, pending.ApprovalId), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
        else Timers.Cancel(key);
    }

    private void Answer(AnswerApproval msg)
    {
        if (!_calls.TryGetValue(msg.CallId, out var state))
        {
            Sender.Tell(new CallNotFound(msg.CallId));
            return;
        }
        var result = CallLifecycle.AnswerApproval(state, msg.Answer, Now);
        if (!result.IsAccepted)
        {
            Sender.Tell(new ApprovalAnswerRejected(msg.CallId, result.Rejection!, state));
            return;
        }
        var replyTo = Sender;
        PersistFor(msg.CallId, result.Events, beforeSideEffect: false,
            then: after =>
            {
                replyTo.Tell(new ApprovalAnswerAccepted(msg.CallId, after));
                ContinueAfterAnswer(after);
            },
            failed: reason => replyTo.Tell(new ApprovalAnswerRejected(msg.CallId, new Rejection(RejectionCode.NoApprovalPending, reason), state)));
    }

    /// <summary>An approved call that executes goes on to run under a fresh driver.</summary>
    private void ContinueAfterAnswer(CallState state)
    {
        if (CallLifecycle.IsExecutable(state))
            StartDriver(DriverStart.Execute, state, _submissions.GetValueOrDefault(state.CallId));
    }

    private void TimeOut(ApprovalDue due)
    {
        if (!_calls.TryGetValue(due.CallId, out var state) || state.PendingApproval?.ApprovalId != due.ApprovalId) return;
        var escalation = _services.Options.Escalation;
        var result = CallLifecycle.TimeOut(state, Now, escalation, escalation is null ? null : CallDriver.NewApprovalSpec(_services.Options).Id);
        if (!result.IsAccepted)
        {
            if (result.Rejection?.Code == RejectionCode.TimeoutNotDue) ScheduleTimeout(state);
            return;
        }
        PersistFor(due.CallId, result.Events, beforeSideEffect: false, then: _ => { }, failed: _ => { });
    }

    private void KeepOutput(CallOutputCaptured msg)
    {
        if (_outputs.TryAdd(msg.CallId, msg.Output)) _outputOrder.Enqueue(msg.CallId);
        while (_outputOrder.Count > OutputsKept) _outputs.Remove(_outputOrder.Dequeue());
    }

    private void Watch(WatchCall msg)
    {
        if (!_calls.TryGetValue(msg.CallId, out var state))
        {
            if (_acks.ContainsKey(msg.CallId)) AddWatcher(msg.CallId);
            else Sender.Tell(new CallNotFound(msg.CallId));
            return;
        }
        if (state.IsTerminal) Sender.Tell(Snapshot(msg.CallId));
        else AddWatcher(msg.CallId);
    }

    private void AddWatcher(CallId id)
    {
        if (!_watchers.TryGetValue(id, out var list)) _watchers[id] = list = [];
        list.Add(Sender);
    }

    private object Snapshot(CallId id) => _calls.TryGetValue(id, out var state)
        ? new CallSnapshot(state, _outputs.GetValueOrDefault(id))
        : new CallNotFound(id);

    /// <summary>A driver ended. If it did not finish its call, the call fails here — it alone; nothing else in the session changes.</summary>
    private void DriverStopped(IActorRef driver)
    {
        if (!_driverCalls.Remove(driver, out var id)) return;
        _drivers.Remove(id);
        if (_finishedDrivers.Remove(id)) return;
        var reason = "internal error while handling the call: " + (_driverCrashes.Remove(id, out var crash) ? crash : "its driver stopped");
        // Wait for writes already under way, so the failure is decided on the call's latest state.
        DeferAsync(id, callId =>
        {
            var state = StateOf(callId);
            if (state.Status == CallStatus.New)
            {
                RejectSubmission(callId, reason);
                return;
            }
            var ended = state.Status == CallStatus.Executing
                ? CallLifecycle.Interrupt(state, reason, Now)
                : CallLifecycle.Fail(state, reason, Now);
            if (ended.IsAccepted) PersistFor(callId, ended.Events, beforeSideEffect: false, then: _ => { }, failed: _ => { });
        });
    }

    private void RejectSubmission(CallId callId, string reason)
    {
        _submissions.Remove(callId);
        if (!_acks.Remove(callId, out var ack)) return;
        if (!_calls.ContainsKey(callId)) _services.CallIndex.Tell(new ReleaseCall(callId, Session));
        var rejected = new CallNotAccepted(callId, reason);
        ack.ReplyTo?.Tell(rejected);
        foreach (var waiter in ack.Waiters) waiter.Tell(rejected);
        if (_watchers.Remove(callId, out var watchers))
            foreach (var watcher in watchers) watcher.Tell(new CallNotFound(callId));
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        if (@event is not CallEvent evt) return;
        RejectSubmission(evt.CallId, $"the journal rejected the call's events: {cause.Message}");
        if (_drivers.TryGetValue(evt.CallId, out var driver))
            driver.Tell(new CallEventsNotPersisted($"the journal rejected the call's events: {cause.Message}"));
    }

    private sealed record PendingAck(IActorRef? ReplyTo, List<IActorRef> Waiters);

    private sealed record ApprovalDue(CallId CallId, ApprovalId ApprovalId);
}
