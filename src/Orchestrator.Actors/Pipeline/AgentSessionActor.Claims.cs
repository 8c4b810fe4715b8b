using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>A new call id is claimed in the <see cref="CallIndex"/> before the session records anything for it.</summary>
public sealed partial class AgentSessionActor
{
    /// <summary>
    /// Claims the id (atomically) so no other session records it meanwhile: in the index's table directly when it can
    /// tell alone, else through the index, which finds out whether the journal holds the id (asks the call directory,
    /// or waits for the recovering sessions).
    /// </summary>
    private void Claim(SubmitCall msg)
    {
        var id = msg.Call.Id;
        if (_services.CallIds?.TryClaim(id, Session) is { } answer)
        {
            Claimed(msg, answer);
            return;
        }
        _services.CallIndex.Ask<object>(new ClaimCall(id, Session), _services.Options.StageTimeout)
            .PipeTo(Self, success: answer => new ClaimAnswered(msg, answer),
                failure: e => new ClaimAnswered(msg, new CallNotAccepted(id, $"the call index did not answer: {e.Message}")));
    }

    private void ReleaseClaim(CallId id)
    {
        if (_services.CallIds is { } ids) ids.Release(id, Session);
        else _services.CallIndex.Tell(new ReleaseCall(id, Session));
    }

    private void Claimed(SubmitCall submission, object answer)
    {
        var id = submission.Call.Id;
        if (!_acks.ContainsKey(id) || _calls.ContainsKey(id)) return;
        switch (answer)
        {
            case CallClaimed { AlreadyHeld: true }:
                ClaimedHeldBefore(submission);
                break;
            case CallClaimed:
                Step(id, submission, static (self, submission) => new CallInput.Submitted(submission.Call, submission.Intent, self.Now));
                break;
            case CallIdTaken taken:
                _acks.Remove(id, out var ack);
                ack!.ReplyTo?.Tell(taken);
                foreach (var waiter in ack.Waiters) waiter.Tell(taken);
                break;
            default:
                RejectSubmission(id, (answer as CallNotAccepted)?.Reason ?? $"unexpected answer from the call index: {answer}");
                break;
        }
    }

    private sealed record ClaimAnswered(SubmitCall Submission, object Answer);
}
