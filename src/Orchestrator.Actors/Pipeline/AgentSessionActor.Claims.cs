using Akka.Actor;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>A new call id is claimed in the <see cref="CallIndex"/> before the session records anything for it.</summary>
public sealed partial class AgentSessionActor
{
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
