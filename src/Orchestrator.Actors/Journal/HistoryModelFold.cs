using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Actors.Journal;

/// <summary>A session's call event the <see cref="HistoryFollower"/> read from the journal: where it lies, and opened.</summary>
internal sealed record FollowedEvent(long Position, string PersistenceId, long SequenceNr, CallEvent Event);

/// <summary>
/// A call's change in the history read model from one batch of the journal: a new row (<see cref="IsNew"/>: every
/// column) or an update of the row at <see cref="Position"/> written before (its decision when
/// <see cref="DecisionChanged"/>, its end when <see cref="Ended"/>). The first decision's place and record are kept only
/// when the row has none yet: a decision made again later changes the columns a listing shows, never what replay judges.
/// </summary>
internal sealed class HistoryRowChange(long position, string persistenceId, bool isNew, CallSummary summary)
{
    public long Position { get; } = position;
    public string PersistenceId { get; } = persistenceId;
    public bool IsNew { get; } = isNew;
    public CallSummary Summary { get; set; } = summary;
    public long ReceivedSequenceNr { get; init; }
    public bool DecisionChanged { get; set; }
    /// <summary>Set only when this change gives the row its first decision (its <c>decided_seq</c>): the row counts from then on (<see cref="HistoryTally.Counts"/>).</summary>
    public long? FirstDecidedSequenceNr { get; set; }
    public long? FirstDecidedPosition { get; set; }
    /// <summary>The first decision's inputs, compact and sealed to this row (<see cref="DecisionRecordSeal"/>): what replay reads.</summary>
    public byte[]? DecisionRecord { get; set; }
    /// <summary>The agent and day of receipt the row names, which its first decision is counted under (<see cref="HistoryTally"/>).</summary>
    public (string Agent, long Day) TalliedAs { get; set; }
    public bool Ended => Summary.Outcome is not null;
}

/// <summary>
/// Folds the journal's call events, in global order, into one <see cref="HistoryRowChange"/> per call — the same fold as
/// the journal scan's (<see cref="CallSummaryFold"/>). The model's open rows (calls not ended) are kept in memory by call
/// id, so a decision or an end finds its row without an index on call ids; a call neither open nor started in the batch
/// (an event after its end) is looked up through the call directory. A call id already held by another session is left
/// to the session that holds it (its events elsewhere change nothing), as the call directory does. A row's first
/// decision — before, with or after the call's end — is also kept as its compact decision record, sealed to its row by
/// <paramref name="seal"/>, and counted; the received event it needs comes from the <see cref="CallRow"/> (its journal
/// row, for a row written before, is opened by <paramref name="openReceived"/>).
/// </summary>
internal sealed class HistoryModelFold(Dictionary<string, CallRow> open, Func<CallRow, CallReceived?> openReceived,
    Func<DecisionRecordPlace, DecisionRecord, byte[]> seal)
{
    public async Task<IReadOnlyList<HistoryRowChange>> FoldAsync(IReadOnlyList<FollowedEvent> events, Func<string, string, Task<CallRow?>> rowOf)
    {
        var changes = new Dictionary<string, (HistoryRowChange Change, CallRow Row)>(StringComparer.Ordinal);
        var order = new List<HistoryRowChange>();
        foreach (var e in events)
        {
            var call = e.Event.CallId.Value;
            if (!changes.TryGetValue(call, out var held))
            {
                if (open.TryGetValue(call, out var row))
                {
                    if (row.PersistenceId != e.PersistenceId) continue;
                    held = (Update(row, e), row);
                }
                else if (CallSummaryFold.Start(e.Position, e.Event) is { } started)
                {
                    row = new CallRow(e.PersistenceId, e.Position, e.SequenceNr, started.Agent, started.ReceivedAt.UtcTicks, decided: false)
                    {
                        Received = e.Event as CallReceived,
                    };
                    open[call] = row;
                    held = (new HistoryRowChange(e.Position, e.PersistenceId, true, started) { ReceivedSequenceNr = e.SequenceNr }, row);
                    Add(held);
                    if (e.Event is CallReceivedAndDecided both) Decided(held, e, both.Received, both.Decided);
                    if (held.Change.Ended) open.Remove(call);
                    continue;
                }
                else if (await rowOf(call, e.PersistenceId) is { } ended) held = (Update(ended, e), ended);
                else continue; // no row of this call in the model: nothing to attach it to
                Add(held);
            }
            else if (held.Change.PersistenceId != e.PersistenceId) continue;
            held.Change.Summary = CallSummaryFold.Apply(held.Change.Summary, e.Event);
            if (e.Event is CallDecided decided) Decided(held, e, null, decided);
            else if (e.Event is CallReceivedAndDecided both) Decided(held, e, both.Received, both.Decided);
            if (held.Change.Ended) open.Remove(call);
        }
        return order;

        void Add((HistoryRowChange Change, CallRow Row) held)
        {
            changes[held.Change.Summary.CallId] = held;
            order.Add(held.Change);
        }
    }

    private static HistoryRowChange Update(CallRow row, FollowedEvent e) =>
        new(row.Position, e.PersistenceId, false, new CallSummary(row.Position, e.Event.CallId.Value, "", "", null, "", "", default))
        {
            ReceivedSequenceNr = row.ReceivedSequenceNr,
        };

    /// <summary>
    /// A decision of the call: the listing's columns change; the first one of its row (<see cref="CallRow.Decided"/>) is
    /// also its recorded decision — its place, its record made from <paramref name="received"/> (or the row's received
    /// event) and sealed, and the count it adds to under the agent and day its row names
    /// (<see cref="HistoryTally.Counts"/>), whether the call has ended or not.
    /// </summary>
    private void Decided((HistoryRowChange Change, CallRow Row) held, FollowedEvent e, CallReceived? received, CallDecided decided)
    {
        var (change, row) = held;
        change.DecisionChanged = true;
        if (row.Decided) return;
        row.Decided = true;
        change.FirstDecidedSequenceNr = e.SequenceNr;
        change.FirstDecidedPosition = e.Position;
        change.TalliedAs = (row.Agent, HistoryTally.DayOf(row.ReceivedAt));
        received ??= ReceivedOf(row, change.Summary.CallId);
        if (received is null) return; // its received event could not be opened: replay reports the record missing
        change.DecisionRecord = seal(new DecisionRecordPlace(change.Position, change.PersistenceId, change.ReceivedSequenceNr, e.SequenceNr,
            e.Position, change.Summary.CallId), DecisionRecord.From(received, decided));
    }

    /// <summary>The received event of a row not decided yet, opened from its journal row when the fold did not see it.</summary>
    private CallReceived? ReceivedOf(CallRow row, string call)
    {
        if (row.Received is null && row.ReceivedRow is not null) row.Received = openReceived(row) is { } r && r.CallId.Value == call ? r : null;
        var received = row.Received;
        row.Received = null;
        row.ReceivedRow = null;
        return received;
    }
}
