using System.Collections.Concurrent;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The call events the journal's writer committed and handed to the history follower, so the follower neither reads
/// their bytes back nor opens them again. Only the kinds the model folds are kept. One the follower never takes — its
/// row was read before the hand-over came, or lies far beyond a backlog — is let go after <see cref="RoundsKept"/> of the
/// follower's rounds; the follower then reads that row's bytes, as after a start. At most <see cref="Limit"/> are held.
/// <see cref="Add"/> runs on the writer's thread, the rest on the follower's loop.
/// </summary>
internal sealed class HandedOverEvents(IReadOnlySet<Type> folded)
{
    public const int Limit = 100_000;
    public const int RoundsKept = 8;

    private readonly ConcurrentDictionary<(string, long), CallEvent> _events = new();
    private readonly ConcurrentQueue<((string, long) Key, long Round)> _added = new();
    private int _count;
    private long _round;

    /// <summary>Events held, not taken yet.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(HistoryEventAt e)
    {
        if (!folded.Contains(e.Event.GetType()) || Volatile.Read(ref _count) >= Limit) return;
        var key = (e.PersistenceId, e.SequenceNr);
        if (!_events.TryAdd(key, e.Event)) return;
        Interlocked.Increment(ref _count);
        _added.Enqueue((key, Volatile.Read(ref _round)));
    }

    public bool Holds(string persistenceId, long sequenceNr) => _events.ContainsKey((persistenceId, sequenceNr));

    /// <summary>The event handed over for this row, which leaves; null when none was (or it was let go).</summary>
    public CallEvent? Take(string persistenceId, long sequenceNr)
    {
        if (!_events.TryRemove((persistenceId, sequenceNr), out var e)) return null;
        Interlocked.Decrement(ref _count);
        return e;
    }

    /// <summary>The follower ended a round: what was handed over <see cref="RoundsKept"/> rounds ago and not taken is let go.</summary>
    public void EndRound()
    {
        var round = Interlocked.Increment(ref _round);
        while (_added.TryPeek(out var oldest) && oldest.Round <= round - RoundsKept && _added.TryDequeue(out oldest))
            if (_events.TryRemove(oldest.Key, out _)) Interlocked.Decrement(ref _count);
    }
}
