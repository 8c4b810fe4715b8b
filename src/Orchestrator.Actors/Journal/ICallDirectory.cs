using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The durable call directory: call id → the session that recorded it and where its events lie in that session's
/// journal. The journal keeps it (a row when a call's first event is written, its last sequence number when its
/// terminal event is), so it is available before any session wakes: recovery wakes only the sessions with open calls,
/// and a call of a session that is not awake is found without replaying anything. The sessions' sealed journals stay
/// the truth; the directory only says where to look (a row nobody can vouch for misdirects a read, never widens it).
/// </summary>
public interface ICallDirectory
{
    /// <summary>Where the call's events are; null when no session recorded it.</summary>
    Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken = default);

    /// <summary>The places of those of <paramref name="calls"/> that some session recorded (one query, for claims in bulk).</summary>
    Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken = default);

    /// <summary>
    /// The sessions holding at least one unfinished call (its terminal event not written: running, undecided, or decided
    /// and not yet run) that does not merely wait for an operator: a call whose approval request is open leaves its
    /// session asleep, and the approval broker wakes it for an answer or at the request's deadline — unless the
    /// session's journal holds anything after that request (another call's events, or a row nobody sealed), which
    /// waking it verifies at start.
    /// </summary>
    Task<IReadOnlyList<SessionId>> SessionsToWakeAsync(CancellationToken cancellationToken = default);

    /// <summary>Every recorded call id, streamed (to build a claim filter at start).</summary>
    IAsyncEnumerable<CallId> AllCallIdsAsync(CancellationToken cancellationToken = default);
}

/// <summary>A recorded call's session and the range of its events there (<see cref="LastSequenceNr"/> null while it is open).</summary>
public sealed record CallPlace(SessionId Session, long FirstSequenceNr, long? LastSequenceNr)
{
    public bool IsOpen => LastSequenceNr is null;
}
