using System.Runtime.CompilerServices;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

public sealed partial class JournalHistory
{
    /// <summary>
    /// The recorded decisions (each call's first) of calls received within [from, to) and of <paramref name="agent"/>
    /// when given, in journal order, found through the history read model: the same ones <see cref="DecisionsAsync"/>
    /// finds by scanning. Each is opened from the sealed events the model points to; a row pointing to a missing, forged
    /// or other call's event fails the read (<see cref="JournalIntegrityException"/>) — the model is never trusted for a decision.
    /// </summary>
    public async IAsyncEnumerable<RecordedDecision> RecordedDecisionsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in RecordedDecisionRowsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            yield return Open(row);
    }

    /// <summary>The rows <see cref="RecordedDecisionsAsync"/> opens, as stored (unchecked: open each with <see cref="Open"/>).</summary>
    public async IAsyncEnumerable<RecordedDecisionRow> RecordedDecisionRowsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _directory.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in _store.DecisionRowsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    /// <summary>The recorded decision a read model row points to, its sealed events checked. Thread-safe.</summary>
    /// <exception cref="JournalIntegrityException">The row points to a missing, forged or other call's event.</exception>
    public RecordedDecision Open(RecordedDecisionRow row)
    {
        var received = Read(row.PersistenceId, row.ReceivedSequenceNr, row.Received, row.CallId);
        if (received is CallReceivedAndDecided both) return RecordedDecision.From(both.Received, both.Decided, _integrity.InputCipher);
        if (received is CallReceived first
            && Read(row.PersistenceId, row.DecidedSequenceNr, row.Decided, row.CallId) is CallDecided decided)
            return RecordedDecision.From(first, decided, _integrity.InputCipher);
        throw new JournalIntegrityException(_integrity.Line(row.PersistenceId, row.ReceivedSequenceNr,
            $"is not the recorded decision of call {row.CallId} the history read model ({CallDirectoryStore.HistoryTableName}) points to; " +
            "the model was edited: drop the table and restart to rebuild it from the journal"));
    }

    private CallEvent Read(string persistenceId, long sequenceNr, StoredEvent? stored, string call) =>
        stored is null
            ? throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr,
                $"is missing though the history read model points to it for call {call}; drop {CallDirectoryStore.HistoryTableName} and restart to rebuild it"))
            : _integrity.OpenStored(persistenceId, sequenceNr, stored) is CallEvent e && e.CallId.Value == call
                ? e
                : throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr,
                    $"is not an event of call {call} the history read model points to; drop {CallDirectoryStore.HistoryTableName} and restart to rebuild it"));
}
