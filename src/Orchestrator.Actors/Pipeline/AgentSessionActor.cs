using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The event-sourced record of one agent session's calls (persistence id <c>session-{sessionId}</c>). Thin: every
/// decision is made by <see cref="CallLifecycle"/>; this actor asks the policy, persists what the lifecycle returns
/// and answers only after the events are in the journal. Automatic path only: no hooks, no execution, no operator
/// approvals (an ask is answered by the configured <see cref="AutomaticApprover"/> or left pending).
/// </summary>
public sealed class AgentSessionActor : ReceivePersistentActor
{
    private static readonly TimeSpan PolicyTimeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _policy;
    private readonly AutomaticApprover? _approver;
    private readonly TimeProvider _clock;
    private readonly Dictionary<CallId, CallState> _calls = [];
    /// <summary>Calls submitted whose events are not persisted yet, with the senders of resubmissions that wait for them.</summary>
    private readonly Dictionary<CallId, List<IActorRef>> _inFlight = [];
    /// <summary>During recovery only: the events of each call, for <see cref="CallLifecycle.Recover"/>.</summary>
    private Dictionary<CallId, List<CallEvent>>? _recovering = [];

    public AgentSessionActor(SessionId session, IActorRef policy, AutomaticApprover? approver, TimeProvider? clock = null)
    {
        Session = session;
        PersistenceId = PersistenceIdOf(session);
        _policy = policy;
        _approver = approver;
        _clock = clock ?? TimeProvider.System;

        Recover<CallEvent>(RecoverEvent);
        Recover<RecoveryCompleted>(_ => CompleteRecovery());

        Command<SubmitCall>(Submit);
        Command<PolicyAnswered>(Decide);
        Command<PolicyFailed>(msg => Reject(msg.Submission.Call.Id, msg.ReplyTo, $"policy evaluation failed: {msg.Cause.Message}"));
        Command<GetCall>(msg => Sender.Tell(_calls.TryGetValue(msg.CallId, out var state)
            ? new CallSnapshot(state)
            : new CallNotFound(msg.CallId)));
    }

    public SessionId Session { get; }

    public override string PersistenceId { get; }

    public static string PersistenceIdOf(SessionId session) => $"session-{session.Value}";

    public static Props Props(SessionId session, IActorRef policy, AutomaticApprover? approver, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new AgentSessionActor(session, policy, approver, clock));

    private void RecoverEvent(CallEvent evt)
    {
        var state = _calls.TryGetValue(evt.CallId, out var known) ? known : CallState.New(evt.CallId);
        _calls[evt.CallId] = CallLifecycle.Apply(state, evt);
        if (_recovering is null) return;
        if (!_recovering.TryGetValue(evt.CallId, out var events)) _recovering[evt.CallId] = events = [];
        events.Add(evt);
        if (_calls[evt.CallId].IsTerminal) _recovering.Remove(evt.CallId);
    }

    /// <summary>Applies DESIGN §2's crash-recovery table to every open call and persists what it implies.</summary>
    private void CompleteRecovery()
    {
        var recovering = _recovering ?? [];
        _recovering = null;
        var now = _clock.GetUtcNow();
        foreach (var (callId, events) in recovering)
        {
            var recovered = CallLifecycle.Recover(callId, events, now);
            // The events recovery returns are applied by the persist handler, on top of the replayed state.
            _calls[callId] = _calls[callId] with { OriginalInputLost = recovered.State.OriginalInputLost };
            var toPersist = recovered.EventsToPersist;
            if (recovered.Action == RecoveryAction.RequestApproval && _approver is { } approver)
                toPersist = toPersist.AddRange(AutoApprove(
                    CallLifecycle.RequestApproval(recovered.State, NewApprovalSpec(), now), approver, now).Events);
            else if (recovered.Action == RecoveryAction.RerunDecision)
                RerunDecision(recovered.State);
            if (!toPersist.IsEmpty) PersistEvents(callId, toPersist, replyTo: null, stashCommands: true);
        }
    }

    private void RerunDecision(CallState state)
    {
        if (state.Call is not { } call) return;
        AskPolicy(new SubmitCall(call, state.Intent), replyTo: null);
    }

    private void Submit(SubmitCall msg)
    {
        var id = msg.Call.Id;
        if (_inFlight.TryGetValue(id, out var waiting))
        {
            waiting.Add(Sender);
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
        _inFlight[id] = [];
        AskPolicy(msg, Sender);
    }

    private void AskPolicy(SubmitCall msg, IActorRef? replyTo)
    {
        _policy.Ask<CallEvaluated>(new EvaluateCall(msg.Call, Sandboxed: msg.Intent == CallIntent.Execute), PolicyTimeout)
            .PipeTo(Self,
                success: evaluated => new PolicyAnswered(msg, replyTo, evaluated.Verdict),
                failure: cause => new PolicyFailed(msg, replyTo, cause));
    }

    private void Decide(PolicyAnswered msg)
    {
        var now = _clock.GetUtcNow();
        var call = msg.Submission.Call;
        var verdict = VerdictSummary.From(msg.Verdict);
        var state = _calls.TryGetValue(call.Id, out var known) ? known : CallState.New(call.Id);
        var needsSpec = verdict.Decision == Decision.Ask && (_approver is not null || msg.Submission.Intent == CallIntent.Execute);
        var decision = DecisionInput.Of(verdict, needsSpec ? NewApprovalSpec() : null);

        var result = state.Status == CallStatus.New
            ? CallLifecycle.Receive(state, call, msg.Submission.Intent, decision, now)
            : CallLifecycle.Decide(state, decision, now);
        if (_approver is { } approver) result = AutoApprove(result, approver, now);

        if (!result.IsAccepted || result.Events.IsEmpty)
        {
            if (state.Status == CallStatus.New)
                Reject(call.Id, msg.ReplyTo, result.Rejection?.Message ?? "the lifecycle recorded nothing");
            return;
        }
        PersistEvents(call.Id, result.Events, msg.ReplyTo);
    }

    /// <summary>Answers a pending approval at once with the automatic approver, appending its events to <paramref name="result"/>.</summary>
    private static CallCommandResult AutoApprove(CallCommandResult result, AutomaticApprover approver, DateTimeOffset now)
    {
        if (!result.IsAccepted || result.State.PendingApproval is not { } pending) return result;
        var answered = CallLifecycle.AnswerApproval(result.State, approver.Answer(pending), now);
        return answered.IsAccepted
            ? CallCommandResult.Accepted(answered.State, result.Events.AddRange(answered.Events))
            : result;
    }

    private static ApprovalRequestSpec NewApprovalSpec() =>
        new(new ApprovalId(Guid.NewGuid().ToString("n")), ApprovalRequestSpec.DefaultTimeout);

    /// <summary>Persists a batch (PersistAllAsync lets many calls share journal writes) and answers after the last handler ran.</summary>
    /// <param name="stashCommands">Persist with PersistAll (commands wait), used by recovery so no query sees the pre-recovery state.</param>
    private void PersistEvents(CallId callId, ImmutableArray<CallEvent> events, IActorRef? replyTo, bool stashCommands = false)
    {
        void Applied(CallEvent evt)
        {
            var state = _calls.TryGetValue(evt.CallId, out var known) ? known : CallState.New(evt.CallId);
            _calls[evt.CallId] = CallLifecycle.Apply(state, evt);
        }
        if (stashCommands) PersistAll(events, Applied);
        else PersistAllAsync(events, Applied);
        DeferAsync(callId, id =>
        {
            if (!_calls.TryGetValue(id, out var state)) return;
            replyTo?.Tell(new CallAccepted(id, state));
            if (_inFlight.Remove(id, out var waiting))
                foreach (var waiter in waiting) waiter.Tell(new CallAlreadyExists(id, state));
        });
    }

    private void Reject(CallId callId, IActorRef? replyTo, string reason)
    {
        var rejected = new CallNotAccepted(callId, reason);
        replyTo?.Tell(rejected);
        if (_inFlight.Remove(callId, out var waiting))
            foreach (var waiter in waiting) waiter.Tell(rejected);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        if (@event is CallEvent evt) Reject(evt.CallId, null, $"the journal rejected the call's events: {cause.Message}");
    }

    private sealed record PolicyAnswered(SubmitCall Submission, IActorRef? ReplyTo, Verdict Verdict);

    private sealed record PolicyFailed(SubmitCall Submission, IActorRef? ReplyTo, Exception Cause);
}
