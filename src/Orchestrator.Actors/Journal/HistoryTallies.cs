using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The follower's running counts of the history read model's decided rows, per agent and day of receipt, and their
/// total: loaded (and checked) at start, staged for each batch — the batch writes the staged counts and its mark sealed
/// (<see cref="HistoryTallySeal"/>) in its own transaction — and kept once that commits. A batch rolled back leaves them
/// as they were; a follower started again loads them again.
/// </summary>
internal sealed class HistoryTallies
{
    private readonly Dictionary<(string Agent, long Day), long> _counts = [];

    public long Total { get; private set; }

    public static HistoryTallies From(IEnumerable<SealedTally> stored)
    {
        var tallies = new HistoryTallies();
        foreach (var (tally, _) in stored)
        {
            tallies._counts[(tally.Agent, tally.Day)] = tally.Decisions;
            tallies.Total += tally.Decisions;
        }
        return tallies;
    }

    /// <summary>
    /// The counts <paramref name="changes"/> move — each row they give its first decision counts once, as
    /// <see cref="HistoryTally.Counts"/> defines — and the new total; not kept until <see cref="Keep"/>.
    /// </summary>
    public (IReadOnlyList<HistoryTally> Changed, long Total) Stage(IReadOnlyList<HistoryRowChange> changes)
    {
        var changed = new Dictionary<(string Agent, long Day), long>();
        var added = 0;
        foreach (var change in changes)
        {
            if (!HistoryTally.Counts(change.FirstDecidedSequenceNr)) continue;
            var key = change.TalliedAs;
            changed[key] = (changed.TryGetValue(key, out var n) ? n : _counts.GetValueOrDefault(key)) + 1;
            added++;
        }
        return ([.. changed.Select(c => new HistoryTally(c.Key.Agent, c.Key.Day, c.Value))], Total + added);
    }

    public void Keep(IReadOnlyList<HistoryTally> changed, long total)
    {
        foreach (var tally in changed) _counts[(tally.Agent, tally.Day)] = tally.Decisions;
        Total = total;
    }
}

/// <summary>What a batch writes beside its rows: the counts it moved and the model's new mark, each with its seal.</summary>
internal sealed record SealedCounts(IReadOnlyList<SealedTally> Tallies, HistoryMark Mark, byte[] MarkSeal);

/// <summary>The history read model's mark and counts as stored (unchecked: <see cref="DecisionCountCheck.Begin"/> checks them).</summary>
public sealed record HistorySeals(HistoryMark Mark, byte[]? MarkSeal, IReadOnlyList<SealedTally> Tallies);
