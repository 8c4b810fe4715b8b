namespace Orchestrator.Core.History.Events;

/// <summary>
/// The automatic path in one journal write (DESIGN §2): the submission and its decision together, and — when the call
/// ends right there (denied, decided only, answered by an automatic approver) — the approval it was given and its
/// completion. Applying it is the same as applying <see cref="Received"/>, <see cref="Decided"/>, then the others that
/// are present, in that order. (The optional parts were added before any release; an event without them is as before.)
/// </summary>
[EventManifest("call-received-and-decided.v1")]
public sealed record CallReceivedAndDecided(
    CallReceived Received,
    CallDecided Decided,
    ApprovalRequested? Requested = null,
    ApprovalAnswered? Answered = null,
    CallCompleted? Completed = null) : CallEvent(Received.CallId)
{
    /// <summary>The events this one stands for, in order.</summary>
    public IEnumerable<CallEvent> Parts()
    {
        yield return Received;
        yield return Decided;
        if (Requested is not null) yield return Requested;
        if (Answered is not null) yield return Answered;
        if (Completed is not null) yield return Completed;
    }
}
