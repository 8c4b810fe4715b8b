using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Finished calls leave the hot state: a session keeps the most recent <see cref="PipelineOptions.FinishedCallsKept"/>
/// finished calls for at most <see cref="PipelineOptions.FinishedCallKeptFor"/>, then drops them. A call it does not
/// hold (dropped, or recorded before it last woke) is read back from its own events in the journal — the range the
/// call directory names — off the mailbox: reads, resubmissions and late approval answers get the same answers as
/// before it was dropped, and the session goes on with other calls meanwhile.
/// </summary>
public sealed partial class AgentSessionActor
{
    /// <summary>Finished calls still held, oldest first, with when they finished.</summary>
    private readonly Queue<(CallId Id, DateTimeOffset At)> _finished = new();
    /// <summary>When the trim timer is due (by <see cref="PipelineOptions.Clock"/>), or null when none is scheduled.</summary>
    private DateTimeOffset? _trimDue;

    /// <summary>A call's terminal event is in the journal (written now, or replayed): it is kept a bounded while.</summary>
    private void KeepFinished(CallId id, CallState state)
    {
        _finished.Enqueue((id, state.Completion?.CompletedAt ?? state.Interruption?.InterruptedAt ?? Now));
        if (_recovering is null) TrimFinished();
    }

    /// <summary>Drops the finished calls beyond the count or older than the time kept; a call someone is waiting on stays until the next trim.</summary>
    private void TrimFinished()
    {
        var options = _services.Options;
        var now = Now;
        while (_finished.TryPeek(out var oldest))
        {
            var tooMany = _finished.Count > options.FinishedCallsKept;
            var due = oldest.At + options.FinishedCallKeptFor;
            if (!tooMany && due > now)
            {
                TrimAt(due, now);
                return;
            }
            if (_unwritten.ContainsKey(oldest.Id) || _watchers.ContainsKey(oldest.Id) || _acks.ContainsKey(oldest.Id))
            {
                TrimAt(now + options.FinishedCallKeptFor, now);
                return;
            }
            _finished.Dequeue();
            if (_calls.TryGetValue(oldest.Id, out var state) && state.IsTerminal)
            {
                _calls.Remove(oldest.Id);
                _outputs.Remove(oldest.Id);
                _services.CallIds?.Retire(oldest.Id, Session);
            }
        }
    }

    /// <summary>
    /// Wakes the session to trim at <paramref name="due"/> unless a trim is already due sooner: calls finish in order, so
    /// one timer serves them all (starting one per finished call cost a scheduler entry and a cancelled one per call).
    /// </summary>
    private void TrimAt(DateTimeOffset due, DateTimeOffset now)
    {
        if (_trimDue <= due) return;
        _trimDue = due;
        Timers.StartSingleTimer(TrimTimerKey, TrimFinishedCalls.Instance, due - now);
    }

    private void TrimTimerFired()
    {
        _trimDue = null;
        TrimFinished();
    }

    private const string TrimTimerKey = "trim-finished";

    /// <summary>Answers a read of a call this session does not hold from the journal, straight to the reader.</summary>
    private void ReadNotHeld(CallId id, IActorRef replyTo) =>
        ReadRecordedAsync(id).PipeTo(replyTo, success: recorded => recorded is null
            ? new CallNotFound(id)
            : new CallSnapshot(recorded.State, recorded.Output));

    /// <summary>An approval answer for a call not held: judged against its recorded state (a finished call rejects it as the pipeline says).</summary>
    private void AnswerNotHeld(AnswerApproval msg)
    {
        var replyTo = Sender;
        ReadRecordedAsync(msg.CallId).PipeTo(Self, success: recorded => new RecordedForAnswer(msg, replyTo, recorded),
            failure: e => new RecordedForAnswer(msg, replyTo, null, e));
    }

    private void AnsweredNotHeld(RecordedForAnswer read)
    {
        var id = read.Answer.CallId;
        if (_calls.ContainsKey(id))
        {
            Self.Tell(read.Answer, read.ReplyTo);
            return;
        }
        if (read.Failure is { } failure)
        {
            read.ReplyTo.Tell(new Status.Failure(failure));
            return;
        }
        if (read.Recorded is not { } recorded)
        {
            read.ReplyTo.Tell(new CallNotFound(id));
            return;
        }
        var step = _pipeline.Next(recorded.State, new CallInput.ApprovalAnswerGiven(read.Answer.Answer, Now));
        read.ReplyTo.Tell(step.Rejection is { } rejection
            ? new ApprovalAnswerRejected(id, rejection, recorded.State)
            : new CallNotFound(id));
    }

    /// <summary>The id was this session's already but it holds no state for it: recorded earlier (then answered as a resubmission) or never.</summary>
    private void ClaimedHeldBefore(SubmitCall submission) =>
        ReadRecordedAsync(submission.Call.Id).PipeTo(Self, success: recorded => new RecordedForSubmission(submission, recorded),
            failure: e => new RecordedForSubmission(submission, null, e));

    private void SubmittedBefore(RecordedForSubmission read)
    {
        var id = read.Submission.Call.Id;
        if (!_acks.ContainsKey(id) || _calls.ContainsKey(id)) return;
        if (read.Failure is { } failure)
        {
            // Not released: the id stays this session's (it may be recorded), only this submission is refused.
            _acks.Remove(id, out var refused);
            var answer = new CallNotAccepted(id, $"the call's record could not be read: {failure.Message}");
            refused!.ReplyTo?.Tell(answer);
            foreach (var waiter in refused.Waiters) waiter.Tell(answer);
            return;
        }
        if (read.Recorded is not { } recorded)
        {
            Step(id, read.Submission, static (self, submission) => new CallInput.Submitted(submission.Call, submission.Intent, self.Now));
            return;
        }
        _acks.Remove(id, out var ack);
        var exists = new CallAlreadyExists(id, recorded.State);
        ack!.ReplyTo?.Tell(exists);
        foreach (var waiter in ack.Waiters) waiter.Tell(exists);
    }

    private Task<RecordedCall?> ReadRecordedAsync(CallId id) =>
        new CallHistoryReader(Context.System, _services.CallDirectory).RecordedCallAsync(Session, id);

    private sealed record TrimFinishedCalls : INotInfluenceReceiveTimeout
    {
        public static TrimFinishedCalls Instance { get; } = new();
    }

    private sealed record RecordedForAnswer(AnswerApproval Answer, IActorRef ReplyTo, RecordedCall? Recorded, Exception? Failure = null);

    private sealed record RecordedForSubmission(SubmitCall Submission, RecordedCall? Recorded, Exception? Failure = null);
}
