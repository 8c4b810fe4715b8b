using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;

namespace Orchestrator.Actors.Journal;

/// <summary>One call event a journal write holds, where it lies (the history read model is derived from these alone).</summary>
public sealed record HistoryEventAt(string PersistenceId, long SequenceNr, CallEvent Event);

/// <summary>
/// What a journal write changes in the history read model (<c>orchestrator_history</c>): the sessions' call events it
/// holds, in order. They are folded into one row change per call only when written (<see cref="Fold"/>), so the
/// writes of a group fold together.
/// </summary>
public sealed record HistoryModelChanges(ImmutableArray<HistoryEventAt> Events)
{
    public static readonly HistoryModelChanges None = new(ImmutableArray<HistoryEventAt>.Empty);

    public bool IsEmpty => Events.IsEmpty;

    public static HistoryModelChanges Concat(IEnumerable<HistoryModelChanges> changes)
    {
        var list = changes.Where(c => !c.IsEmpty).ToList();
        return list.Count switch { 0 => None, 1 => list[0], _ => new([.. list.SelectMany(c => c.Events)]) };
    }

    /// <summary>
    /// One change per call, in the order of their first events here: a call started here is a whole new row; a call
    /// started earlier gets its decision (the last one here; <see cref="HistoryRowChange.FirstDecidedSequenceNr"/> the
    /// first, which replay reads) and its end. The same fold as the journal scan's (<see cref="CallSummaryFold"/>).
    /// </summary>
    public static IReadOnlyList<HistoryRowChange> Fold(IEnumerable<HistoryEventAt> events)
    {
        var rows = new Dictionary<(string Call, string PersistenceId), HistoryRowChange>();
        var order = new List<(string, string)>();
        foreach (var (persistenceId, sequenceNr, evt) in events)
        {
            var key = (evt.CallId.Value, persistenceId);
            if (!rows.TryGetValue(key, out var row))
            {
                var started = CallSummaryFold.Start(0, evt);
                row = started is not null
                    ? new HistoryRowChange(persistenceId, sequenceNr, true, started, null)
                    : new HistoryRowChange(persistenceId, sequenceNr, false, Blank(evt), null);
                if (started is null) row = row with { Summary = CallSummaryFold.Apply(row.Summary, evt) };
                order.Add(key);
            }
            else row = row with { Summary = CallSummaryFold.Apply(row.Summary, evt) };
            if (row.FirstDecidedSequenceNr is null && evt is CallDecided or CallReceivedAndDecided)
                row = row with { FirstDecidedSequenceNr = sequenceNr };
            rows[key] = row;
        }
        return [.. order.Select(k => rows[k])];
    }

    private static CallSummary Blank(CallEvent evt) => new(0, evt.CallId.Value, "", "", null, "", "", default);
}

/// <summary>
/// A call's change in the history read model: <see cref="Started"/> (a new row: every column of <see cref="Summary"/>,
/// <see cref="SequenceNr"/> its first event) or an update of a row written before (its decision when
/// <see cref="CallSummary.Decision"/> is set, its end when <see cref="CallSummary.Outcome"/> is).
/// </summary>
public sealed record HistoryRowChange(string PersistenceId, long SequenceNr, bool Started, CallSummary Summary, long? FirstDecidedSequenceNr);
