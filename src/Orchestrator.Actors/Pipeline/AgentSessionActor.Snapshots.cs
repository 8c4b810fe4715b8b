using Akka.Event;
using Akka.Persistence;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Every <see cref="PipelineOptions.SnapshotEvery"/> events the session saves a <see cref="SessionSnapshot"/> of what
/// recovery needs (sealed by the snapshot store with the journal's head), and deletes the older ones once it is saved.
/// A snapshot holds each call's state as the journal holds it: the state of a call whose newer events are still being
/// written is the one its last written step left. Recovery from a snapshot then replays only the later events, and
/// DESIGN §2's recovery table applies to the open calls exactly as after a replay of every event.
/// </summary>
public sealed partial class AgentSessionActor
{
    /// <summary>The journalled state of each call whose newer state (in <see cref="_calls"/>) is still being written.</summary>
    private readonly Dictionary<CallId, CallState> _journalled = [];
    private long _snapshotAt;
    private bool _snapshotSaving;

    private void ReceiveSnapshots()
    {
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SessionSnapshot snapshot) RestoreSnapshot(snapshot, offer.Metadata.SequenceNr);
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            _snapshotSaving = false;
            _snapshotAt = saved.Metadata.SequenceNr;
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
            // Writes ended while it was being saved may have made the next one due: taken once they are all handled.
            DeferAsync(saved, _ => SnapshotIfDue());
        });
        Command<SaveSnapshotFailure>(failed =>
        {
            _snapshotSaving = false;
            Context.GetLogger().Warning("session {0}: the snapshot at event #{1} was not saved: {2}", Session, failed.Metadata.SequenceNr, failed.Cause.Message);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed =>
            Context.GetLogger().Warning("session {0}: older snapshots were not deleted: {1}", Session, failed.Cause.Message));
    }

    private void RestoreSnapshot(SessionSnapshot snapshot, long sequenceNr)
    {
        _owner = snapshot.Owner;
        _parent = snapshot.Parent;
        foreach (var call in snapshot.Calls)
        {
            var state = call.ToState();
            _calls[state.CallId] = state;
            if (!state.IsTerminal) _recovering!.Add(state.CallId);
        }
        // Finished calls leave the hot state in the order they finished, as after a replay of every event.
        foreach (var finished in _calls.Values.Where(s => s.IsTerminal)
                     .OrderBy(s => s.Completion?.CompletedAt ?? s.Interruption?.InterruptedAt).ThenBy(s => s.CallId.Value, StringComparer.Ordinal))
            KeepFinished(finished.CallId, finished);
        foreach (var kept in snapshot.Outputs)
            if (_outputs.TryAdd(kept.CallId, kept.Result)) _outputOrder.Enqueue(kept.CallId);
        _snapshotAt = sequenceNr;
    }

    /// <summary>A write of the call begins: unless one is already under way, what the journal holds of it is <paramref name="before"/>.</summary>
    private void Journalling(CallId id, CallState before)
    {
        if (!_unwritten.ContainsKey(id)) _journalled[id] = before;
    }

    /// <summary>A write of the call is in the journal: with none left under way its live state is the journalled one again.</summary>
    private void Journalled(CallId id, CallState after)
    {
        if (_unwritten.GetValueOrDefault(id) > 1) _journalled[id] = after;
        else _journalled.Remove(id);
    }

    /// <summary>
    /// Called only where every write begun so far is handled (a write's handler, a deferred handler), so that
    /// <see cref="Eventsourced.LastSequenceNr"/> and the journalled states describe the same point of the journal.
    /// </summary>
    private void SnapshotIfDue()
    {
        if (_services.Options.SnapshotEvery is not { } every || _snapshotSaving || LastSequenceNr - _snapshotAt < every) return;
        var recorded = _calls.Select(pair => _journalled.TryGetValue(pair.Key, out var journalled) ? journalled : pair.Value);
        SaveSnapshot(SessionSnapshot.Of(_owner, recorded, _outputOrder.Where(_outputs.ContainsKey).Select(id => new KeptOutput(id, _outputs[id])), _parent));
        _snapshotSaving = true;
    }
}
