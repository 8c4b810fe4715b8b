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
    /// model keeps, its seal checked against the place the row names; a missing, forged, edited or moved record, another
    /// call's, or a row deleted (the model's sealed counts, <see cref="Core.History.Integrity.DecisionCountCheck"/>), fails
    /// the read (<see cref="JournalIntegrityException"/>) — the model is never trusted for a decision.
    /// </summary>
    public async IAsyncEnumerable<RecordedDecision> RecordedDecisionsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in RecordedDecisionRowsAsync(from, to, agent, cancellationToken).ConfigureAwait(false))
            if (Open(row, from, to, agent) is { } decision) yield return decision;
    }

    /// <summary>
    /// The rows <see cref="RecordedDecisionsAsync"/> opens, as stored (open each with <see cref="Open"/>): those of the
    /// whole days [from, to) touches, so they can be counted against the model's sealed counts, which ends the
    /// sequence with <see cref="JournalIntegrityException"/> when rows are missing.
    /// </summary>
    public async IAsyncEnumerable<DecisionRecordRow> RecordedDecisionRowsAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var end = await ModelCaughtUpAsync(cancellationToken).ConfigureAwait(false);
        var check = _integrity.CountCheck(from, to, agent);
        var rows = _store.DecisionRecordsAsync(check.ReadFrom, check.ReadTo, agent, seals =>
        {
            if (check.Begin(seals.Mark, seals.MarkSeal, seals.Tallies, end) is { } refusal) throw new JournalIntegrityException(_integrity.ModelLine(refusal));
        }, cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            check.Count(row.Agent, row.ReceivedAt);
            yield return row;
        }
        if (check.Finish() is { } missing) throw new JournalIntegrityException(_integrity.ModelLine(missing));
    }

    /// <summary>
    /// The recorded decision of a read model row read for [<paramref name="from"/>, <paramref name="to"/>) and
    /// <paramref name="agent"/>, its record's seal checked, and the record itself naming the agent and time its row
    /// names (the columns that chose and counted the row are not sealed); null when it lies outside [from, to) (a row
    /// of the same days, read to be counted). Thread-safe.
    /// </summary>
    /// <exception cref="JournalIntegrityException">The record is missing, forged, edited, moved, another call's, or not the one its row's columns say.</exception>
    public RecordedDecision? Open(DecisionRecordRow row, DateTimeOffset? from = null, DateTimeOffset? to = null, string? agent = null)
    {
        var record = _integrity.OpenDecisionRecord(row.Place, row.Record);
        if (record.Agent.Value == row.Agent && record.ReceivedAt.UtcTicks == row.ReceivedAt && (agent is null || row.Agent == agent))
            // Only a decision judged is opened further (its masked input decrypted): the rest of the days is read to be counted.
            return Selected(record.Agent, record.ReceivedAt, from, to, agent) ? record.Open(_integrity.InputCipher) : null;
        throw new JournalIntegrityException(_integrity.ModelLine(
            $"holds a row of call {row.Place.CallId} naming agent {row.Agent} received at {new DateTimeOffset(row.ReceivedAt, TimeSpan.Zero):O}, but its " +
            $"sealed decision record says agent {record.Agent.Value} received at {record.ReceivedAt:O}"));
    }
}
