using System.Runtime.CompilerServices;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.History;

public sealed partial class JournalHistory
{
    /// <summary>
    /// The recorded decisions (each call's first) of calls received within [from, to) and of <paramref name="agent"/>
    /// when given, in journal order, read from the history read model alone (one pass, the journal is not read): the
    /// same ones <see cref="DecisionsAsync"/> finds by scanning. Each is opened from the compact decision record the
    /// model keeps, its seal checked against the place the row names; a missing, forged, edited or moved record, or
    /// another call's, fails the read (<see cref="JournalIntegrityException"/>) — the model is never trusted for a decision.
    /// </summary>
    public async IAsyncEnumerable<RecordedDecision> RecordedDecisionsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in RecordedDecisionRowsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            yield return Open(row);
    }

    /// <summary>The rows <see cref="RecordedDecisionsAsync"/> opens, as stored (unchecked: open each with <see cref="Open"/>).</summary>
    public async IAsyncEnumerable<DecisionRecordRow> RecordedDecisionRowsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ModelCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in _store.DecisionRecordsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    /// <summary>The recorded decision of a read model row, its record's seal checked. Thread-safe.</summary>
    /// <exception cref="JournalIntegrityException">The record is missing, forged, edited, moved or another call's.</exception>
    public RecordedDecision Open(DecisionRecordRow row) => _integrity.OpenDecisionRecord(row.Place, row.Record).Open(_integrity.InputCipher);
}
