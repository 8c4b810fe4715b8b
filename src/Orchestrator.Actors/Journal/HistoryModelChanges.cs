using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>One call event a journal write holds, where it lies (the history read model is derived from these alone).</summary>
public sealed record HistoryEventAt(string PersistenceId, long SequenceNr, CallEvent Event);

/// <summary>
/// The sessions' call events a journal write holds, in order: handed to the <see cref="HistoryFollower"/> once the
/// write is committed, so it folds them into the history read model without opening their rows again (it reads the
/// rows themselves from the journal, in order, and opens any it was not handed).
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
}
