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
    public long? FirstDecidedSequenceNr { get; set; }
    public long? FirstDecidedPosition { get; set; }
    /// <summary>The first decision's inputs, compact and sealed to this row (<see cref="DecisionRecordSeal"/>): what replay reads.</summary>
    public byte[]? DecisionRecord { get; set; }
    /// <summary>The agent and day of receipt <see cref="DecisionRecord"/> is counted under (<see cref="HistoryTally"/>).</summary>
    public (string Agent, long Day) TalliedAs { get; set; }
    public bool Ended => Summary.Outcome is not null;
}

/// <summary>
/// A call of the model not ended yet: its session, its row, its received event's sequence number and — until its
/// first decision, which the model's decision record is made from — that event (or, for a call the model held before
/// the follower started, its journal row, opened when the decision comes).
/// </summary>
internal sealed class OpenCall(string persistenceId, long position, long receivedSequenceNr)
{
    public string PersistenceId { get; } = persistenceId;
    public long Position { get; } = position;
    public long ReceivedSequenceNr { get; } = receivedSequenceNr;
    public CallReceived? Received { get; set; }
    public StoredEvent? ReceivedRow { get; set; }
}

/// <summary>
/// Folds the journal's call events, in global order, into one <see cref="HistoryRowChange"/> per call — the same fold as
/// the journal scan's (<see cref="CallSummaryFold"/>). The model's open rows (calls not ended) are kept in memory by call
/// id, so a decision or an end finds its row without an index on call ids; a call neither open nor started in the batch
/// (an event after its end) is looked up through the call directory. A call id already held by another session is left
/// to the session that holds it (its events elsewhere change nothing), as the call directory does. A call's first
/// decision is also kept as its compact decision record, sealed to its row by <paramref name="seal"/>; the received
/// event it needs comes from the open call (its journal row, for a call open before the follower started, is opened by
/// <paramref name="openReceived"/>).
/// </summary>
internal sealed class HistoryModelFold(Dictionary<string, OpenCall> open, Func<OpenCall, CallReceived?> openReceived,
    Func<DecisionRecordPlace, DecisionRecord, byte[]> seal)
{
    public async Task<IReadOnlyList<HistoryRowChange>> FoldAsync(IReadOnlyList<FollowedEvent> events, Func<string, string, Task<long?>> rowOf)
    {
        var changes = new Dictionary<string, HistoryRowChange>(StringComparer.Ordinal);
        var order = new List<HistoryRowChange>();
        foreach (var e in events)
        {
            var call = e.Event.CallId.Value;
            if (!changes.TryGetValue(call, out var change))
            {
                if (open.TryGetValue(call, out var row))
                {
                    if (row.PersistenceId != e.PersistenceId) continue;
                    change = Update(row.Position, e, row.ReceivedSequenceNr);
                }
                else if (CallSummaryFold.Start(e.Position, e.Event) is { } started)
                {
                    change = new HistoryRowChange(e.Position, e.PersistenceId, true, started) { ReceivedSequenceNr = e.SequenceNr };
                    open[call] = new OpenCall(e.PersistenceId, e.Position, e.SequenceNr) { Received = e.Event as CallReceived };
                    if (e.Event is CallReceivedAndDecided both) Decided(change, e, both.Received, both.Decided);
                    Add(change);
                    if (change.Ended) open.Remove(call);
                    continue;
                }
                else if (await rowOf(call, e.PersistenceId) is { } position) change = Update(position, e, 0);
                else continue; // no first event of this call in the journal: nothing to attach it to
                Add(change);
            }
            else if (change.PersistenceId != e.PersistenceId) continue;
            change.Summary = CallSummaryFold.Apply(change.Summary, e.Event);
            if (e.Event is CallDecided decided) Decided(change, e, ReceivedOf(call), decided);
            else if (e.Event is CallReceivedAndDecided both) Decided(change, e, both.Received, both.Decided);
            if (change.Ended) open.Remove(call);
        }
        return order;

        void Add(HistoryRowChange change)
        {
            changes[change.Summary.CallId] = change;
            order.Add(change);
        }
    }

    private static HistoryRowChange Update(long position, FollowedEvent e, long receivedSequenceNr) =>
        new(position, e.PersistenceId, false, new CallSummary(position, e.Event.CallId.Value, "", "", null, "", "", default))
        {
            ReceivedSequenceNr = receivedSequenceNr,
        };

    /// <summary>The received event of an open call not decided yet (null once decided: only a first decision is recorded).</summary>
    private CallReceived? ReceivedOf(string call)
    {
        if (!open.TryGetValue(call, out var row)) return null;
        if (row.Received is null && row.ReceivedRow is not null) row.Received = openReceived(row) is { } r && r.CallId.Value == call ? r : null;
        var received = row.Received;
        row.Received = null;
        row.ReceivedRow = null;
        return received;
    }

    private void Decided(HistoryRowChange change, FollowedEvent e, CallReceived? received, CallDecided decided)
    {
        change.DecisionChanged = true;
        if (change.FirstDecidedSequenceNr is not null) return;
        change.FirstDecidedSequenceNr = e.SequenceNr;
        change.FirstDecidedPosition = e.Position;
        if (received is null) return; // decided after it ended, or its received event could not be opened: replay reports the record missing
        change.DecisionRecord = seal(new DecisionRecordPlace(change.Position, change.PersistenceId, change.ReceivedSequenceNr, e.SequenceNr,
            e.Position, change.Summary.CallId), DecisionRecord.From(received, decided));
        change.TalliedAs = (received.Agent.Value, HistoryTally.DayOf(received.ReceivedAt.UtcTicks));
    }
}
