using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>A new call id is claimed in the <see cref="CallIndex"/> before the session records anything for it.</summary>
public sealed partial class AgentSessionActor
{
    /// <summary>
    /// Claims the id (atomically) so no other session records it meanwhile: in the index's table directly once every
    /// recorded call is in it, else through the index, which waits until it knows whether the journal holds the id.
    /// </summary>
    private void Claim(SubmitCall msg)
    {
        var id = msg.Call.Id;
        if (_services.CallIds is { IsComplete: true } ids)
        {
            Claimed(new ClaimAnswered(msg, ids.Claim(id, Session) is { } holder ? new CallIdTaken(id, holder) : new CallClaimed(id)));
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

    private void Claimed(ClaimAnswered claim)
    {
        var id = claim.Submission.Call.Id;
        if (!_acks.ContainsKey(id) || _calls.ContainsKey(id)) return;
        switch (claim.Answer)
        {
            case CallClaimed:
                Step(id, () => new CallInput.Submitted(claim.Submission.Call, claim.Submission.Intent, Now));
                break;
            case CallIdTaken taken:
                _acks.Remove(id, out var ack);
                ack!.ReplyTo?.Tell(taken);
                foreach (var waiter in ack.Waiters) waiter.Tell(taken);
                break;
            default:
                RejectSubmission(id, (claim.Answer as CallNotAccepted)?.Reason ?? $"unexpected answer from the call index: {claim.Answer}");
                break;
        }
    }

    private sealed record ClaimAnswered(SubmitCall Submission, object Answer);
}
