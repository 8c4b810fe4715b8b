using System.Runtime.CompilerServices;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

public sealed partial class JournalHistory
{
    /// <summary>
    /// The recorded decisions (each call's first) of calls received within [from, to) and of <paramref name="agent"/>
    /// when given, in journal order, read from the history read model alone (one pass, the journal is not read): the
    /// same ones <see cref="DecisionsAsync"/> finds by scanning. Each is opened from the sealed events the model copied,
    /// their seals checked at the places the row names exactly as the journal's own rows would be; a missing, forged or
    /// moved copy, or another call's event, fails the read (<see cref="JournalIntegrityException"/>) — the model is never
    /// trusted for a decision.
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
        await ModelCaughtUpAsync(cancellationToken).ConfigureAwait(false);
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
            $"is not the recorded decision of call {row.CallId} the history read model ({CallDirectoryStore.HistoryTableName}) holds; " +
            "the model was edited: drop the table and restart to rebuild it from the journal"));
    }

    private CallEvent Read(string persistenceId, long sequenceNr, StoredEvent? stored, string call)
    {
        if (stored is null)
            throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr,
                $"is missing from the history read model's row of call {call}; drop {CallDirectoryStore.HistoryTableName} and restart to rebuild it"));
        object opened;
        try
        {
            opened = _integrity.OpenStored(persistenceId, sequenceNr, stored);
        }
        catch (JournalIntegrityException e)
        {
            throw new JournalIntegrityException($"{e.Message} (the copy in the history read model's row of call {call}; " +
                $"drop {CallDirectoryStore.HistoryTableName} and restart to rebuild it)", e);
        }
        return opened is CallEvent evt && evt.CallId.Value == call
            ? evt
            : throw new JournalIntegrityException(_integrity.Line(persistenceId, sequenceNr,
                $"is not an event of call {call} the history read model holds; drop {CallDirectoryStore.HistoryTableName} and restart to rebuild it"));
    }
}
