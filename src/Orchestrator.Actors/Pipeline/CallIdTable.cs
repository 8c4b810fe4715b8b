using System.Collections.Concurrent;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The call id → session table behind the <see cref="CallIndex"/>, shared with the sessions so a new id is claimed
/// synchronously (atomically: of concurrent claims of one id in different sessions exactly one wins) with no round trip
/// to the index. Until <see cref="IsComplete"/> an id not held here may still be in the journal, so a session then
/// claims through the index. Complete means every recorded id is either held here or in the
/// <see cref="RecordedCallFilter"/> of the ids recorded before start: an id the filter may hold is claimed through the
/// index too, which asks the call directory. It outlives a restart of the index actor.
/// <para>
/// A finished call a session drops from its hot state is retired from the table (<see cref="Retire"/>): only its
/// 64-bit hash stays, in the same role as the filter's (an 8-byte "maybe recorded, ask the directory"), so the table
/// holds the calls the sessions hold and a long-running server does not keep every id and session it ever saw.
/// </para>
/// </summary>
/// <param name="complete">True: nothing was recorded before (no filter to load).</param>
public sealed class CallIdTable(bool complete)
{
    private readonly ConcurrentDictionary<CallId, SessionId> _sessions = new();
    private volatile bool _complete = complete;
    private volatile RecordedCallFilter? _recordedBefore;
    private readonly HashSet<ulong> _retired = [];

    public bool IsComplete => _complete;

    /// <summary>Every id recorded before start is in <paramref name="recordedBefore"/> (the directory says where).</summary>
    internal void Complete(RecordedCallFilter recordedBefore)
    {
        _recordedBefore = recordedBefore;
        _complete = true;
    }

    public SessionId? SessionOf(CallId id) => _sessions.TryGetValue(id, out var session) ? session : null;

    public bool Holds(CallId id) => _sessions.ContainsKey(id);

    /// <summary>Whether only the journal (or its directory) can say who holds an id this table does not hold.</summary>
    public bool MayBeRecordedElsewhere(CallId id) => !_complete || _recordedBefore?.MayContain(id) == true || IsRetired(id);

    /// <summary>
    /// The claim's answer when this table can give it alone (<see cref="CallClaimed"/> or <see cref="CallIdTaken"/>),
    /// null when the id may have been recorded where only the index can look.
    /// </summary>
    public object? TryClaim(CallId id, SessionId session)
    {
        if (_sessions.TryGetValue(id, out var holder)) return HeldBy(id, holder, session);
        if (MayBeRecordedElsewhere(id)) return null;
        var answer = Claim(id, session);
        // Retired meanwhile (its hash is added before its row leaves): only the directory can say whose it is.
        if (answer is CallClaimed { AlreadyHeld: false } && IsRetired(id))
        {
            Release(id, session);
            return null;
        }
        return answer;
    }

    /// <summary>
    /// A finished call <paramref name="session"/> dropped from its hot state (recorded, so in the call directory)
    /// leaves the table; its hash stays so a claim of its id goes to the directory.
    /// </summary>
    public void Retire(CallId id, SessionId session)
    {
        if (!_sessions.TryGetValue(id, out var holder) || holder != session) return;
        lock (_retired) _retired.Add(RecordedCallFilter.Hash(id));
        _sessions.TryRemove(KeyValuePair.Create(id, session));
    }

    /// <summary>Ids held in the table (not retired).</summary>
    public int Count => _sessions.Count;

    private bool IsRetired(CallId id)
    {
        lock (_retired) return _retired.Count > 0 && _retired.Contains(RecordedCallFilter.Hash(id));
    }

    /// <summary>
    /// The id is now <paramref name="session"/>'s: <see cref="CallClaimed"/> (with <see cref="CallClaimed.AlreadyHeld"/>
    /// when it already was); else <see cref="CallIdTaken"/> naming the session that holds it.
    /// </summary>
    public object Claim(CallId id, SessionId session)
    {
        while (true)
        {
            if (_sessions.TryAdd(id, session)) return new CallClaimed(id);
            if (_sessions.TryGetValue(id, out var holder)) return HeldBy(id, holder, session);
        }
    }

    private static object HeldBy(CallId id, SessionId holder, SessionId session) =>
        holder == session ? new CallClaimed(id) { AlreadyHeld = true } : new CallIdTaken(id, holder);

    /// <summary>Recorded calls a session found in its journal: the first session to claim or record an id keeps it.</summary>
    public void Register(CallId id, SessionId session) => _sessions.TryAdd(id, session);

    /// <summary>Gives back a claim whose submission was refused before anything was recorded (only the holder's own).</summary>
    public void Release(CallId id, SessionId session) => _sessions.TryRemove(KeyValuePair.Create(id, session));
}
