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
            yield return Open(row, from, to, agent);
    }

    /// <summary>The rows <see cref="RecordedDecisionsAsync"/> opens, as stored (unchecked: open each with <see cref="Open"/>).</summary>
    public async IAsyncEnumerable<DecisionRecordRow> RecordedDecisionRowsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ModelCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in _store.DecisionRecordsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    /// <summary>
    /// The recorded decision of a read model row selected for [<paramref name="from"/>, <paramref name="to"/>) and
    /// <paramref name="agent"/>, its record's seal checked, and the record itself within that selection: the model's
    /// <c>agent</c> and <c>received_at</c> columns that chose the row are not sealed. Thread-safe.
    /// </summary>
    /// <exception cref="JournalIntegrityException">The record is missing, forged, edited, moved, another call's, or outside the selection its row was chosen for.</exception>
    public RecordedDecision Open(DecisionRecordRow row, DateTimeOffset? from = null, DateTimeOffset? to = null, string? agent = null)
    {
        var decision = _integrity.OpenDecisionRecord(row.Place, row.Record).Open(_integrity.InputCipher);
        if (Selected(decision.Agent, decision.ReceivedAt, from, to, agent)) return decision;
        throw new JournalIntegrityException(
            $"call {row.Place.CallId}: its row in the history read model ({CallDirectoryStore.HistoryTableName}) was chosen for agent " +
            $"{agent ?? "any"} received in [{from?.ToString("O") ?? "start"}, {to?.ToString("O") ?? "end"}), but its sealed decision record says agent " +
            $"{decision.Agent.Value} received at {decision.ReceivedAt:O}: the model was edited; drop the table and restart to rebuild it");
    }
}
