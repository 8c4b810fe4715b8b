using Akka.Actor;
using Akka.Persistence;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Execution;
using Orchestrator.Actors.Hooks;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The event-sourced record of one agent session's calls (persistence id <c>session-{sessionId}</c>) and the only
/// holder of their state. Each call moves by <see cref="CallPipeline.Next"/>: the session feeds it the submission and
/// the stages' answers (tagged by call id), persists the events it returns, then performs its effects (ask the policy,
/// run hooks, look up a grant, plan, take a slot, execute, answer). Per-call deadlines are timers keyed by call id.
/// Acknowledgements go out only after a call's first events are in the journal. On start it replays the journal and
/// the pipeline applies DESIGN §2's recovery table to every open call.
/// </summary>
public sealed partial class AgentSessionActor : VerifiedPersistentActor, IWithTimers
{
    private readonly SessionServices _services;
    private readonly CallPipeline _pipeline;
    /// <summary>Every call of the session (recorded, or submitted and in flight): the only copy of its state.</summary>
    private readonly Dictionary<CallId, CallState> _calls = [];
    /// <summary>New calls not yet persisted: who submitted them, and resubmissions waiting for the first write.</summary>
    private readonly Dictionary<CallId, PendingAck> _acks = [];
    private readonly Dictionary<CallId, List<IActorRef>> _watchers = [];
    /// <summary>Run output of the most recent calls, as recorded (at most <see cref="PipelineOptions.OutputsKept"/>; the journal holds every call's).</summary>
    private readonly Dictionary<CallId, ExecutionResult> _outputs = [];
    private readonly Queue<CallId> _outputOrder = new();
    /// <summary>Writes under way per call (persisted, handler not yet run), and readers waiting for them to end.</summary>
    private readonly Dictionary<CallId, int> _unwritten = [];
    private readonly Dictionary<CallId, List<Action>> _heldReaders = [];
    /// <summary>During recovery only: the calls replayed that are not terminal.</summary>
    private HashSet<CallId>? _recovering = [];
    /// <summary>The agent whose first call opened this session: the session is its own, no other agent's call enters it.</summary>
    private AgentId? _owner;

    public AgentSessionActor(SessionId session, SessionServices services)
    {
        Session = session;
        PersistenceId = PersistenceIdOf(session);
        _services = services;
        _pipeline = new CallPipeline(services.PipelineSettings(JournalIntegrity.Get(Context.System).InputCipher));

        Recover<CallEvent>(RecoverEvent);
        Recover<RecoveryCompleted>(_ => CompleteRecovery());
        ReceiveSnapshots();
        ReceiveTeam();

        Command<SubmitCall>(Submit);
        Command<ClaimAnswered>(claim => Claimed(claim.Submission, claim.Answer));
        // The stages' answers, each tagged by the call it is about.
        Command<CallEvaluated>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.PolicyAnswered(VerdictSummary.From(msg.Verdict), self.Now) { Policy = msg.Policy, Hooks = msg.Policy?.Hooks }));
        Command<HooksRan>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.HooksAnswered(msg.Results, msg.UpdatedInput, self.Now)));
        Command<GrantLookup>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.GrantAnswered(msg.Grant?.Id, FreshApprovalId(), self.Now)));
        Command<SlotGranted>(msg => Step(msg.CallId, msg, static (self, _) => new CallInput.SlotGranted(self.Now)));
        Command<CallExecuted>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.ExecutionFinished(msg.Result, self.Now)));
        Command<CallExecutionFailed>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.ExecutionFailed(msg.Reason, msg.ProcessMayHaveStarted, self.Now)));
        // A stage that threw on this call refused it (PoisonGuard): the call fails at once, alone.
        Command<StageRefused>(msg =>
        {
            if (msg.CallId is { } id) Step(id, msg, static (self, msg) => new CallInput.StageFailed($"the {msg.Stage} stage failed on this call: {msg.Reason}", self.Now));
        });
        Command<SweepStageDeadlines>(_ => SweepDeadlines());
        Command<ApprovalDue>(msg => Step(msg.CallId, msg, static (self, msg) => new CallInput.ApprovalDeadlineReached(msg.ApprovalId, FreshApprovalId(), self.Now)));
        Command<AnswerApproval>(Answer);
        Command<GetCall>(msg =>
        {
            var replyTo = Sender;
            if (!_calls.ContainsKey(msg.CallId) && !_acks.ContainsKey(msg.CallId)) ReadNotHeld(msg.CallId, replyTo);
            else WhenWritten(msg.CallId, () => Reply(msg.CallId, replyTo));
        });
        Command<WatchCall>(Watch);
        Command<CheckIdle>(_ => IdleChecked());
        Command<ReceiveTimeout>(_ =>
        {
            if (IsIdle) Context.Parent.Tell(new PassivateSession(Session));
        });
        Command<ConfirmPassivation>(_ =>
        {
            if (IsIdle) Context.Stop(Self);
            else Context.Parent.Tell(new PassivationCancelled(Session));
        });
        Command<RecordedForAnswer>(AnsweredNotHeld);
        Command<RecordedForSubmission>(SubmittedBefore);
        Command<TrimFinishedCalls>(_ => TrimTimerFired());
        Command<WakeSession>(_ => Sender.Tell(new SessionAwake(Session, Recorded.Count(), Recorded.Count(s => !s.IsTerminal))));
    }

    public SessionId Session { get; }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdOf(SessionId session) => $"session-{session.Value}";

    public static Props Props(SessionId session, SessionServices services) =>
        Akka.Actor.Props.Create(() => new AgentSessionActor(session, services));

    protected override void PreStart()
    {
        base.PreStart();
        StartIdleChecks();
    }

    /// <summary>Stopping or restarting, the session gives back every execution slot it held or waited for.</summary>
    protected override void PostStop()
    {
        _services.Execution?.Slots?.ReleaseAllOf(Self);
        StopIdleChecks();
        base.PostStop();
    }

    /// <summary>Nothing would be lost by stopping now: the journal holds everything but in-flight work, waiters and approval timers.</summary>
    /// <summary>
    /// Nothing in flight: a call waiting only for an operator does not keep the session in memory — an answer is routed
    /// to it (waking it), and the approval broker wakes it at the request's deadline, as for a session asleep since start.
    /// </summary>
    private bool IsIdle => _acks.Count == 0 && _watchers.Count == 0 && _unwritten.Count == 0 && !_calls.Values.Any(c => c.Work is not null && !WaitsOnlyForOperator(c));

    /// <summary>
    /// Waiting for an approval answer and nothing else, with nothing only memory holds: a call whose recorded input is
    /// masked keeps its real input in memory (the journal's copy may not give it back), so its session stays awake.
    /// </summary>
    private static bool WaitsOnlyForOperator(CallState call) =>
        call is { Status: CallStatus.AwaitingApproval, Work.Awaiting: AwaitedStage.None } && call.Received is not { MaskedSecrets: > 0 };

    private IEnumerable<CallState> Recorded => _calls.Values.Where(c => c.Status != CallStatus.New);

    private DateTimeOffset Now => _services.Options.Clock.GetUtcNow();

    private static ApprovalId FreshApprovalId() => new(Guid.NewGuid().ToString("n"));

    private CallState StateOf(CallId id) => _calls.TryGetValue(id, out var known) ? known : CallState.New(id);

    private void RecoverEvent(CallEvent evt)
    {
        var before = StateOf(evt.CallId);
        var state = CallLifecycle.Apply(before, evt);
        KeepOutput(evt);
        _calls[evt.CallId] = state;
        _owner ??= state.Call?.Agent;
        if (!state.IsTerminal) _recovering!.Add(evt.CallId);
        else
        {
            _recovering!.Remove(evt.CallId);
            if (!before.IsTerminal) KeepFinished(evt.CallId, state);
        }
    }

    /// <summary>The pipeline applies DESIGN §2's crash-recovery table to every open call; the session persists and performs what it implies.</summary>
    private void CompleteRecovery()
    {
        var recovering = _recovering ?? [];
        _recovering = null;
        if (_calls.Count > 0) _services.CallIndex.Tell(new CallsRegistered(Session, [.. _calls.Keys]));
        TrimFinished();
        foreach (var callId in recovering) Step(callId, callId, static (self, _) => new CallInput.Recovered(FreshApprovalId(), self.Now));
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
            pending.Wait(Sender);
            return;
        }
        if (_calls.ContainsKey(id))
        {
            var replyTo = Sender;
            WhenWritten(id, () => replyTo.Tell(new CallAlreadyExists(id, Public(StateOf(id)))));
            return;
        }
        if (msg.Call.Session != Session)
        {
            Sender.Tell(new CallNotAccepted(id, $"call {id} belongs to session {msg.Call.Session}, not {Session}"));
            return;
        }
        var submitter = Sender;
        if (InTeam(msg, submitter) is { } admitted) Admit(admitted, submitter);
    }

    /// <summary>A submission placed in the team is claimed; its submitter is answered once its first events are written.</summary>
    private void Admit(SubmitCall admitted, IActorRef submitter)
    {
        _owner ??= admitted.Call.Agent;
        _acks[admitted.Call.Id] = new PendingAck(submitter);
        Claim(admitted);
    }

    private void Answer(AnswerApproval msg)
    {
        if (!_calls.ContainsKey(msg.CallId) && !_acks.ContainsKey(msg.CallId))
        {
            AnswerNotHeld(msg);
            return;
        }
        if (!_calls.TryGetValue(msg.CallId, out var state) || state.Status == CallStatus.New)
        {
            Sender.Tell(new CallNotFound(msg.CallId));
            return;
        }
        var replyTo = Sender;
        var step = Step(msg.CallId, msg.Answer, static (self, answer) => new CallInput.ApprovalAnswerGiven(answer, self.Now),
            afterPersist: after => replyTo.Tell(new ApprovalAnswerAccepted(msg.CallId, after)));
        if (step?.Rejection is { } rejection) replyTo.Tell(new ApprovalAnswerRejected(msg.CallId, rejection, Public(state)));
    }

    /// <summary>Keeps the output a recorded <c>ExecutionFinished</c> carries (written now, or replayed) among the recent ones.</summary>
    private void KeepOutput(CallEvent evt)
    {
        if (evt is not ExecutionFinished { Result: { Output: not null } result }) return;
        if (_outputs.TryAdd(evt.CallId, result)) _outputOrder.Enqueue(evt.CallId);
        // Outputs of trimmed calls are already gone: their ids leave the order without counting against the kept ones.
        while (_outputOrder.TryPeek(out var oldest) && (!_outputs.ContainsKey(oldest) || _outputs.Count > _services.Options.OutputsKept))
            _outputs.Remove(_outputOrder.Dequeue());
    }

    private void Watch(WatchCall msg)
    {
        if (!_calls.TryGetValue(msg.CallId, out var state) || state.Status == CallStatus.New)
        {
            if (_acks.ContainsKey(msg.CallId)) AddWatcher(msg.CallId);
            else ReadNotHeld(msg.CallId, Sender);
            return;
        }
        // A call whose end is still being written is answered by the AnswerWatchers effect once it is.
        if (state.IsTerminal && !_unwritten.ContainsKey(msg.CallId)) Reply(msg.CallId, Sender);
        else AddWatcher(msg.CallId);
    }

    private void AddWatcher(CallId id)
    {
        if (!_watchers.TryGetValue(id, out var list)) _watchers[id] = list = [];
        list.Add(Sender);
    }

    /// <summary>
    /// Answers a read of the call: from memory, or — when its run's output is no longer among the recent ones kept —
    /// from its own events in the journal, so a call reads the same whether or not its output is still held.
    /// </summary>
    private void Reply(CallId id, IActorRef replyTo)
    {
        if (!_calls.TryGetValue(id, out var state) || state.Status == CallStatus.New)
        {
            replyTo.Tell(new CallNotFound(id));
            return;
        }
        if (_outputs.TryGetValue(id, out var ran)) replyTo.Tell(new CallSnapshot(Public(state), CallOutput.From(ran)));
        else if (state.Finished is not null) ReadNotHeld(id, replyTo);
        else replyTo.Tell(new CallSnapshot(Public(state), null));
    }

    private void RejectSubmission(CallId callId, string reason)
    {
        if (_calls.TryGetValue(callId, out var state) && state.Status == CallStatus.New) _calls.Remove(callId);
        if (!_acks.Remove(callId, out var ack)) return;
        if (!_calls.ContainsKey(callId)) ReleaseClaim(callId);
        var rejected = new CallNotAccepted(callId, reason);
        ack.ReplyTo?.Tell(rejected);
        foreach (var waiter in ack.Waiters) waiter.Tell(rejected);
        if (_watchers.Remove(callId, out var watchers))
            foreach (var watcher in watchers) watcher.Tell(new CallNotFound(callId));
    }

    /// <summary>The submitter of a call not yet persisted, and whoever resubmitted it meanwhile (a list made only for them).</summary>
    private sealed class PendingAck(IActorRef? replyTo)
    {
        private List<IActorRef>? _waiters;

        public IActorRef? ReplyTo { get; } = replyTo;

        public IReadOnlyList<IActorRef> Waiters => (IReadOnlyList<IActorRef>?)_waiters ?? [];

        public void Wait(IActorRef waiter) => (_waiters ??= []).Add(waiter);
    }

    private sealed record ApprovalDue(CallId CallId, ApprovalId ApprovalId);
}
