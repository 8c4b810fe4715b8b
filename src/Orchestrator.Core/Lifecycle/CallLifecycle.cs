using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// The recorded life of one call. <see cref="Apply"/> folds recorded events (the single fold); the deciders — internal
/// steps of <see cref="CallPipeline"/> — validate an input against the current state and return the events to persist
/// (never throwing for bad external input), or a rejection. Deciders throw only for programmer errors (a state of
/// another call, a missing approval spec).
/// </summary>
public static partial class CallLifecycle
{
    public const string InterruptedOnRecovery =
        "execution had started when the server stopped; its end is unknown, so it is not run again";

    public const string InputLostOnRecovery =
        "the input held secrets that were masked before persisting, so it cannot run after a restart; submit it again under a new id";

    public static CallState Replay(CallId callId, IEnumerable<CallEvent> events) =>
        events.Aggregate(CallState.New(callId), Apply);

    /// <summary>
    /// Folds one recorded event. An event that cannot follow the state means a corrupt or foreign journal. A decision
    /// recorded after an undecided call ended is the call's decision, as history and replay take it; the end stands.
    /// </summary>
    public static CallState Apply(CallState state, CallEvent evt)
    {
        RequireCallOf(state, evt);
        return evt switch
        {
            CallReceivedAndDecided combined => ApplyReceivedAndDecided(state, combined),
            CallReceived e => Require(state, e, CallStatus.New) with { Status = CallStatus.Received, Received = e },
            CallDecided e when state.Status.IsTerminal() && state.Decided is null => state with { Decided = e },
            CallDecided e => Require(state, e, CallStatus.Received) with { Status = StatusAfter(e), Decided = e },
            ApprovalRequested e => RequireAskAwaitingRequest(state, e) with
            {
                Status = CallStatus.AwaitingApproval, PendingApproval = e, LastApproval = e,
            },
            ApprovalAnswered e => RequirePending(state, e, e.ApprovalId) with
            {
                Status = StatusAfter(e), PendingApproval = null, Answer = e,
            },
            ApprovalTimedOut e => RequirePending(state, e, e.ApprovalId) with
            {
                Status = CallStatus.Decided, PendingApproval = null,
                TimedOutApprovals = state.TimedOutApprovals.SetItem(e.ApprovalId, e),
            },
            ExecutionQueued e => (state.Status == CallStatus.Queued ? throw Misplaced(state, e) : RequireExecutable(state, e)) with
            {
                Status = CallStatus.Queued, Queued = e,
            },
            ExecutionStarted e => RequireExecutable(state, e) with { Status = CallStatus.Executing, Execution = e },
            ExecutionFinished e => Require(state, e, CallStatus.Executing) with { Status = CallStatus.Finished, Finished = WithoutOutput(e) },
            PostToolHooksRan e => (state.PostHooks is null ? Require(state, e, CallStatus.Finished) : throw Misplaced(state, e)) with { PostHooks = e },
            CallCompleted e => RequireOpen(state, e) with { Status = CallStatus.Completed, Completion = e, PendingApproval = null },
            CallInterrupted e => RequireOpen(state, e) with { Status = CallStatus.Interrupted, Interruption = e, PendingApproval = null },
            _ => throw new InvalidOperationException($"unknown call event {evt.GetType().Name}"),
        };
    }

    /// <summary>A call's state keeps its run's facts but not the recorded output: that is read from the journal on demand.</summary>
    private static ExecutionFinished WithoutOutput(ExecutionFinished e) =>
        e.Result.Output is null ? e : e with { Result = e.Result with { Output = null } };

    /// <summary>
    /// A submission. The call is masked here, so nothing unmasked is ever persisted. With a decision (the automatic
    /// path) the result is one <see cref="CallReceivedAndDecided"/> plus whatever the decision implies.
    /// </summary>
    internal static CallCommandResult Receive(CallState state, ToolCall call, CallIntent intent, DecisionInput? decision, DateTimeOffset now,
        InputCipher? cipher = null)
    {
        if (call.Id != state.CallId)
            throw new ArgumentException($"call {call.Id} submitted to the state of call {state.CallId}", nameof(call));
        if (state.Status != CallStatus.New) return CallCommandResult.AlreadyExists(state);

        var masked = SecretMasker.MaskCall(call);
        var received = new CallReceived(call.Id, call.Agent, call.Session, masked.Call, intent, masked.Count, call.Id.Value, now,
            masked.Count > 0 && cipher is not null ? cipher.Seal(call.Id, call.Input) : null);
        if (decision is null) return Accept(state, [received]);

        var combined = new CallReceivedAndDecided(received, Decided(call.Id, call.ToolName, decision, now));
        var afterDecision = Apply(state, combined);
        return Accept(afterDecision, combined, FollowDecision(afterDecision, decision, now));
    }

    /// <summary>
    /// One journal write instead of several: a batch that starts with <see cref="CallReceivedAndDecided"/> and ends the
    /// call at once (an optional automatic approval, then the completion) becomes a single event with the same meaning.
    /// Any other batch is returned unchanged.
    /// </summary>
    internal static ImmutableArray<CallEvent> Compact(ImmutableArray<CallEvent> events)
    {
        if (events is not [CallReceivedAndDecided { Requested: null, Completed: null } first, .. var rest] || rest is not [.., CallCompleted completed])
            return events;
        return rest switch
        {
            [CallCompleted] => [first with { Completed = completed }],
            [ApprovalRequested requested, ApprovalAnswered answered, CallCompleted] =>
                [first with { Requested = requested, Answered = answered, Completed = completed }],
            _ => events,
        };
    }

    /// <summary>The decision for a received call (also the re-run after recovery).</summary>
    internal static CallCommandResult Decide(CallState state, DecisionInput decision, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.Status != CallStatus.Received)
            return CallCommandResult.Rejected(state, RejectionCode.NotAwaitingDecision, $"call {state.CallId} is already decided ({Describe(state)})");

        var decided = Decided(state.CallId, state.Call!.ToolName, decision, now);
        var afterDecision = Apply(state, decided);
        return Accept(afterDecision, decided, FollowDecision(afterDecision, decision, now));
    }

    /// <summary>Requests approval for a call decided ask whose request was never recorded (found by recovery).</summary>
    internal static CallCommandResult RequestApproval(CallState state, ApprovalRequestSpec spec, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (!AwaitsApprovalRequest(state))
            return CallCommandResult.Rejected(state, RejectionCode.NotAwaitingDecision, $"call {state.CallId} does not need an approval request ({Describe(state)})");
        var escalatedTo = state.LastApproval is { } last && state.TimedOutApprovals.TryGetValue(last.ApprovalId, out var t) ? t.EscalatedTo : null;
        var level = escalatedTo is null ? 0 : state.LastApproval!.EscalationLevel + 1;
        return Accept(state, [Request(state, spec.Id, escalatedTo ?? spec.ApproverGroup, level, spec.RequestedScope, now, now + spec.Timeout, null)]);
    }

    /// <summary>
    /// An answer to the call's approval. Duplicates, answers to timed-out requests and answers after the deadline are
    /// rejected with the decision that stands.
    /// </summary>
    internal static CallCommandResult AnswerApproval(CallState state, ApprovalAnswer answer, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.Answer is { } first && first.ApprovalId == answer.ApprovalId)
            return CallCommandResult.Rejected(state, new Rejection(RejectionCode.DuplicateAnswer,
                $"approval {answer.ApprovalId} was already answered: {(first.Approved ? "approved" : "denied")} by {first.AnsweredBy} at {first.AnsweredAt:O}",
                FirstAnswer: first));
        if (state.TimedOutApprovals.TryGetValue(answer.ApprovalId, out var timedOut))
            return CallCommandResult.Rejected(state, new Rejection(RejectionCode.StaleAnswer,
                $"approval {answer.ApprovalId} timed out at {timedOut.Deadline:O}" +
                (timedOut.EscalatedTo is null ? " and the call was denied" : $" and was escalated to {timedOut.EscalatedTo}"),
                FirstAnswer: state.Answer, TimedOut: timedOut));
        if (state.PendingApproval is not { } pending)
            return CallCommandResult.Rejected(state, new Rejection(RejectionCode.NoApprovalPending,
                $"call {state.CallId} has no pending approval ({Describe(state)})", FirstAnswer: state.Answer));
        if (pending.ApprovalId != answer.ApprovalId)
            return CallCommandResult.Rejected(state, RejectionCode.UnknownApproval,
                $"approval {answer.ApprovalId} is not the pending approval of call {state.CallId}");
        if (now >= pending.Deadline)
            return CallCommandResult.Rejected(state, RejectionCode.DeadlinePassed,
                $"approval {answer.ApprovalId} expired at {pending.Deadline:O}; the timeout stands");

        if (answer.Approved && state.Call?.SubmittedBy is { } submitter && submitter == answer.AnsweredBy)
            return CallCommandResult.Rejected(state, RejectionCode.SubmitterCannotApprove,
                $"{submitter} submitted call {state.CallId} and cannot approve it; another operator must");

        var answered = new ApprovalAnswered(state.CallId, answer.ApprovalId, answer.Approved, answer.Scope, answer.Reason, answer.AnsweredBy, now);
        return AcceptWithCompletion(state, answered, now);
    }

    /// <summary>
    /// The deadline of the pending approval has come. With an escalation policy that still applies, the request is
    /// closed and a fresh one (<paramref name="escalationId"/>) goes to the target group; otherwise the call is denied.
    /// </summary>
    internal static CallCommandResult TimeOut(CallState state, DateTimeOffset now, EscalationPolicy? escalation = null, ApprovalId? escalationId = null)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.PendingApproval is not { } pending)
            return CallCommandResult.Rejected(state, new Rejection(RejectionCode.NoApprovalPending,
                $"call {state.CallId} has no pending approval ({Describe(state)})", FirstAnswer: state.Answer));
        if (now < pending.Deadline)
            return CallCommandResult.Rejected(state, RejectionCode.TimeoutNotDue,
                $"approval {pending.ApprovalId} is due at {pending.Deadline:O}");

        if (escalation is not null && escalation.Escalates(pending))
        {
            var nextId = escalationId ?? throw new ArgumentNullException(nameof(escalationId), "escalating needs a fresh approval id");
            var closed = new ApprovalTimedOut(state.CallId, pending.ApprovalId, pending.Deadline, escalation.TargetGroup, now);
            var next = Request(state, nextId, escalation.TargetGroup, pending.EscalationLevel + 1, pending.RequestedScope, now, now + escalation.Timeout, null);
            return Accept(state, [closed, next]);
        }
        var timedOut = new ApprovalTimedOut(state.CallId, pending.ApprovalId, pending.Deadline, null, now);
        return AcceptWithCompletion(state, timedOut, now);
    }

    /// <summary>The call may run but no execution slot is free: it waits, recorded as queued.</summary>
    internal static CallCommandResult QueueExecution(CallState state, string reason, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.IsTerminal) return Terminal(state);
        if (state.Status == CallStatus.Queued) return Accept(state, []);
        if (!IsExecutable(state))
            return CallCommandResult.Rejected(state, RejectionCode.NotExecutable, $"call {state.CallId} may not run ({Describe(state)})");
        return Accept(state, [new ExecutionQueued(state.CallId, reason, now)]);
    }

    /// <summary>Persist the result before spawning the process.</summary>
    internal static CallCommandResult StartExecution(CallState state, string sandboxKind, string profileDigest, DateTimeOffset now, RecordedLayers? layers = null)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.IsTerminal) return Terminal(state);
        if (!IsExecutable(state))
            return CallCommandResult.Rejected(state, RejectionCode.NotExecutable, $"call {state.CallId} may not run ({Describe(state)})");
        if (state.OriginalInputLost)
            return CallCommandResult.Rejected(state, RejectionCode.OriginalInputLost, InputLostOnRecovery);
        return Accept(state, [new ExecutionStarted(state.CallId, sandboxKind, profileDigest, now, layers)]);
    }

    internal static CallCommandResult FinishExecution(CallState state, ExecutionResult result, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.IsTerminal) return Terminal(state);
        if (state.Status != CallStatus.Executing)
            return CallCommandResult.Rejected(state, RejectionCode.NotExecuting, $"call {state.CallId} is not executing ({Describe(state)})");
        var finished = new ExecutionFinished(state.CallId, result, now);
        return AcceptWithCompletion(state, finished, now);
    }

    /// <summary>The call cannot go on (no sandbox can be applied, spawn failed, input lost): it completes as failed.</summary>
    internal static CallCommandResult Fail(CallState state, string detail, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.IsTerminal) return Terminal(state);
        return Accept(state, [new CallCompleted(state.CallId, CallOutcome.Failed, null, detail, now)]);
    }

    internal static CallCommandResult Interrupt(CallState state, string reason, DateTimeOffset now)
    {
        if (state.Status == CallStatus.New) return UnknownCall(state);
        if (state.IsTerminal) return Terminal(state);
        return Accept(state, [new CallInterrupted(state.CallId, reason, now)]);
    }

    /// <summary>The call as submitted: the recorded call, with its real input when secrets were masked (null when that cannot be opened).</summary>
    internal static ToolCall? RealCall(CallReceived received, InputCipher? cipher)
    {
        if (received.MaskedSecrets == 0) return received.Call;
        return received.UnmaskedInput is { } sealedInput && cipher?.Open(received.CallId, sealedInput) is { } input
            ? received.Call with { Input = input }
            : null;
    }

    private static CallDecided Decided(CallId callId, string tool, DecisionInput decision, DateTimeOffset now) =>
        new(callId, decision.Verdict, decision.Hooks.IsDefault ? [] : decision.Hooks,
            decision.Verdict.Decision == Decision.Ask ? decision.CoveredByGrant : null, now,
            decision.UpdatedInput is { } updated ? SecretMasker.MaskInput(tool, updated).Input : null);

    /// <summary>The events a fresh decision implies on top of <see cref="CallDecided"/>: an approval request or the completion.</summary>
    private static ImmutableArray<CallEvent> FollowDecision(CallState decided, DecisionInput decision, DateTimeOffset now)
    {
        if (AwaitsApprovalRequest(decided) && decision.Approval is { } spec)
            return [Request(decided, spec.Id, spec.ApproverGroup, 0, spec.RequestedScope, now, now + spec.Timeout, decision.RealCall)];
        if (AwaitsApprovalRequest(decided) && decided.Intent.RaisesApprovals())
            throw new ArgumentException("a verdict of ask for a call that executes or is relayed needs an approval spec or a covering grant", nameof(decision));
        if (AwaitsApprovalRequest(decided))
            return [new CallCompleted(decided.CallId, CallOutcome.DecidedOnly, null, decided.Decided!.Verdict.Reason, now)];
        return Completion(decided, now);
    }

    /// <summary>The completion a state already implies but has not recorded (none when the call still has work to do).</summary>
    internal static ImmutableArray<CallEvent> Completion(CallState state, DateTimeOffset now)
    {
        CallCompleted Complete(CallOutcome outcome, string? detail, int? exitCode = null) =>
            new(state.CallId, outcome, exitCode, detail, now);

        if (state.Status == CallStatus.Finished)
            return state.Finished!.Result is { Tool.Failure: { } failure } failed
                ? [Complete(CallOutcome.Failed, failure, failed.ExitCode)]
                : [Complete(CallOutcome.AllowedAndRan, null, state.Finished!.Result.ExitCode)];
        if (state.Status == CallStatus.Approved && state.Intent != CallIntent.Execute)
            return [Complete(CallOutcome.DecidedOnly, state.Answer?.Reason ?? state.Decided!.Verdict.Reason)];
        if (state.Status != CallStatus.Decided) return [];

        var verdict = state.Decided!.Verdict;
        if (verdict.Decision == Decision.Deny) return [Complete(CallOutcome.Denied, verdict.Reason)];
        if (verdict.Decision == Decision.Allow)
            return state.Intent != CallIntent.Execute ? [Complete(CallOutcome.DecidedOnly, verdict.Reason)] : [];
        if (state.Answer is { Approved: false } denied)
            return [Complete(CallOutcome.ApprovalDenied, denied.Reason ?? $"denied by {denied.AnsweredBy}")];
        if (state.LastApproval is { } last && state.TimedOutApprovals.TryGetValue(last.ApprovalId, out var t) && t.EscalatedTo is null)
            return [Complete(CallOutcome.ApprovalTimedOut, $"no answer by {t.Deadline:O}")];
        return [];
    }

    internal static bool AwaitsApprovalRequest(CallState state) =>
        AwaitsApprovalRequest(state.Status, state.Decision, state.Answer, state.LastApproval, state.TimedOutApprovals);

    private static bool AwaitsApprovalRequest(CallStatus status, Decision? decision, ApprovalAnswered? answer, ApprovalRequested? last,
        ImmutableDictionary<ApprovalId, ApprovalTimedOut> timedOut) =>
        status == CallStatus.Decided && decision == Decision.Ask && answer is null &&
        (last is null || (timedOut.TryGetValue(last.ApprovalId, out var t) && t.EscalatedTo is not null));

    /// <summary>The call may start running now: intent execute, and allowed or approved (or queued for a slot), not started yet.</summary>
    internal static bool IsExecutable(CallState state) =>
        state.Intent == CallIntent.Execute &&
        (state.Status is CallStatus.Approved or CallStatus.Queued || (state.Status == CallStatus.Decided && state.Decision == Decision.Allow));

    /// <summary>
    /// An approval request for the call as it will run: <paramref name="real"/> when the caller holds it; else an
    /// earlier request of this call (an escalation asks about the same input); else the recorded call with a hook's
    /// rewrite applied.
    /// </summary>
    private static ApprovalRequested Request(CallState state, ApprovalId id, string group, int level, GrantScope scope,
        DateTimeOffset now, DateTimeOffset deadline, ToolCall? real)
    {
        var recorded = state.Call!;
        var verdict = state.Decided!.Verdict;
        if (real is null && state.LastApproval is { } last)
            return new ApprovalRequested(state.CallId, id, recorded.Agent, recorded.Session, last.Tool, last.Subject,
                last.CallSummary, verdict.ReasonClass, verdict.Reason, scope, group, level, now, deadline, last.SubjectDigest, recorded.Workspace,
                recorded.ParentSession);
        var call = real ?? (state.Decided.UpdatedInput is { } updated ? recorded with { Input = updated } : recorded);
        var subject = GrantSubject.From(call);
        return new ApprovalRequested(state.CallId, id, recorded.Agent, recorded.Session, subject.Tool, subject.Subject,
            Summarize(subject), verdict.ReasonClass, verdict.Reason, scope, group, level, now, deadline, subject.Digest, recorded.Workspace,
            recorded.ParentSession);
    }

    /// <summary>What the approver reads: the tool and everything its subject will run (plain-literal secrets masked), never cut.</summary>
    private static string Summarize(GrantSubject subject) =>
        subject.Subject.Length == 0 ? subject.Tool : $"{subject.Tool}: {subject.Subject}";

    private static CallCommandResult UnknownCall(CallState state) =>
        CallCommandResult.Rejected(state, RejectionCode.UnknownCall, $"call {state.CallId} was never received");

    private static CallCommandResult Terminal(CallState state) =>
        CallCommandResult.Rejected(state, RejectionCode.AlreadyTerminal, $"call {state.CallId} is {Describe(state)}");

    private static string Describe(CallState state) => state.Outcome is { } outcome
        ? $"{state.Status.ToString().ToLowerInvariant()}: {outcome}"
        : state.Status.ToString().ToLowerInvariant();

    private static void RequireCallOf(CallState state, CallEvent evt)
    {
        if (evt.CallId != state.CallId)
            throw new InvalidOperationException($"event {evt.GetType().Name} of call {evt.CallId} applied to call {state.CallId}");
    }

    private static CallState Require(CallState state, CallEvent evt, CallStatus status) =>
        state.Status == status ? state : throw Misplaced(state, evt);

    private static CallState RequireAskAwaitingRequest(CallState state, CallEvent evt) =>
        AwaitsApprovalRequest(state) ? state : throw Misplaced(state, evt);

    private static CallState RequirePending(CallState state, CallEvent evt, ApprovalId id) =>
        state.PendingApproval?.ApprovalId == id ? state : throw Misplaced(state, evt);

    private static CallState RequireExecutable(CallState state, CallEvent evt) =>
        IsExecutable(state) ? state : throw Misplaced(state, evt);

    private static CallState RequireOpen(CallState state, CallEvent evt) =>
        IsOpen(state.Status) ? state : throw Misplaced(state, evt);

    private static bool IsOpen(CallStatus status) => status != CallStatus.New && !status.IsTerminal();

    private static InvalidOperationException Misplaced(CallState state, CallEvent evt) => Misplaced(state.CallId, state.Status, evt);

    private static InvalidOperationException Misplaced(CallId callId, CallStatus status, CallEvent evt) =>
        new($"event {evt.GetType().Name} cannot follow call {callId} in status {status}");
}
