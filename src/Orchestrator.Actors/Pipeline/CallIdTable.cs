using System.Collections.Concurrent;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// The call id → session table behind the <see cref="CallIndex"/>, shared with the sessions so a new id is claimed
/// synchronously (atomically: of concurrent claims of one id in different sessions exactly one wins) with no round trip
/// to the index. Until <see cref="IsComplete"/> — every session in the journal has registered its recorded calls — an id
/// not held here may still be in the journal, so a session then claims through the index, which waits for it.
/// It outlives a restart of the index actor.
/// </summary>
public sealed class CallIdTable(bool complete)
{
    private readonly ConcurrentDictionary<CallId, SessionId> _sessions = new();
    private volatile bool _complete = complete;

    public bool IsComplete => _complete;

    internal void Complete() => _complete = true;

    public SessionId? SessionOf(CallId id) => _sessions.TryGetValue(id, out var session) ? session : null;

    public bool Holds(CallId id) => _sessions.ContainsKey(id);

    /// <summary>The id is now <paramref name="session"/>'s (or already was): null; else the session that holds it.</summary>
    public SessionId? Claim(CallId id, SessionId session)
    {
        var holder = _sessions.GetOrAdd(id, session);
        return holder == session ? null : holder;
    }

    /// <summary>Recorded calls a session found in its journal: the first session to claim or record an id keeps it.</summary>
    public void Register(CallId id, SessionId session) => _sessions.TryAdd(id, session);

    /// <summary>Gives back a claim whose submission was refused before anything was recorded (only the holder's own).</summary>
    public void Release(CallId id, SessionId session) => _sessions.TryRemove(KeyValuePair.Create(id, session));
}
