using System.Runtime.InteropServices;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Tells a read of the history read model's decision records that lost rows: the model's follower seals, per agent and
/// day of receipt, how many records it wrote, and their total with its mark (<see cref="HistoryTallySeal"/>). A read
/// — all records, an agent's, a time window's, or both — reads whole days (<see cref="ReadFrom"/>, <see cref="ReadTo"/>),
/// counts every row it read by the agent and time its row names (the caller checks each against its sealed record) and
/// must end with exactly the sealed count of every agent and day it selected. Reading the tallies costs one seal check
/// per agent and day in the model; a window narrower than a day reads (and checks) the rest of its first and last days.
/// </summary>
public sealed class DecisionCountCheck(byte[] key, DateTimeOffset? from, DateTimeOffset? to, string? agent)
{
    private readonly Dictionary<(string Agent, long Day), long> _sealed = [];
    private readonly Dictionary<(string Agent, long Day), long> _counted = [];
    private readonly long? _from = from?.UtcTicks;
    private readonly long? _to = to?.UtcTicks;

    /// <summary>The first receipt time (UTC ticks) the rows are read from: the start of <c>from</c>'s day.</summary>
    public long? ReadFrom => _from is { } f ? HistoryTally.DayOf(f) * TimeSpan.TicksPerDay : null;

    /// <summary>The receipt time (UTC ticks) the rows are read up to, excluded: the end of the day of <c>to</c>'s last tick.</summary>
    public long? ReadTo => _to is { } t ? (HistoryTally.DayOf(t - 1) + 1) * TimeSpan.TicksPerDay : null;

    /// <summary>
    /// Checks the mark and every tally as stored (read in the same snapshot as the rows), for a read that waited for the
    /// model to pass <paramref name="journalEnd"/>: null when sound, else why not (reads after "the history read model …").
    /// </summary>
    public string? Begin(HistoryMark mark, byte[]? markSeal, IReadOnlyList<SealedTally> tallies, long journalEnd)
    {
        var fresh = mark == default && markSeal is null && tallies.Count == 0;
        if (!fresh && (markSeal is null || !HistoryTallySeal.IsSealOf(key, mark, markSeal)))
            return "has a mark whose seal does not match (forged or edited)";
        if (mark.Position < journalEnd)
            return $"has a mark at journal position {mark.Position}, behind the position {journalEnd} it was read for (an older mark put back)";
        long sum = 0;
        var (firstDay, lastDay) = (ReadFrom is { } f ? HistoryTally.DayOf(f) : long.MinValue, ReadTo is { } t ? HistoryTally.DayOf(t) - 1 : long.MaxValue);
        foreach (var (tally, seal) in tallies)
        {
            if (seal is null || !HistoryTallySeal.IsSealOf(key, tally, seal))
                return $"has a count of agent {tally.Agent}'s decisions received on {Day(tally.Day)} whose seal does not match (forged or edited)";
            sum += tally.Decisions;
            if ((agent is null || tally.Agent == agent) && tally.Day >= firstDay && tally.Day <= lastDay) _sealed[(tally.Agent, tally.Day)] = tally.Decisions;
        }
        return sum == mark.Decisions
            ? null
            : $"has counts of {sum} decisions in all where its mark says {mark.Decisions} (a count deleted or an older one put back)";
    }

    /// <summary>Counts a row read (by the agent and receipt time it names); true when it lies within [from, to) itself.</summary>
    public bool Count(string rowAgent, long receivedAt)
    {
        CollectionsMarshal.GetValueRefOrAddDefault(_counted, (rowAgent, HistoryTally.DayOf(receivedAt)), out _)++;
        return (_from is null || receivedAt >= _from) && (_to is null || receivedAt < _to);
    }

    /// <summary>
    /// Once every row was read: null when each agent and day selected had as many decided rows as sealed, else what
    /// differed — for the first agent and day, the rows found and the count sealed; and how many others differed.
    /// </summary>
    public string? Finish()
    {
        string? first = null;
        var others = 0;
        foreach (var (key, count) in _sealed)
            Differs(key, _counted.GetValueOrDefault(key), $"its sealed count says {count}", _counted.GetValueOrDefault(key) != count);
        foreach (var (key, count) in _counted)
            Differs(key, count, "no count is sealed (0 expected)", !_sealed.ContainsKey(key));
        return first is null ? null : others == 0 ? first : $"{first}, and {others} other agent-days differ too";

        void Differs((string Agent, long Day) key, long found, string expected, bool differs)
        {
            if (!differs) return;
            if (first is null) first = $"holds {found} decided rows of agent {key.Agent} received on {Day(key.Day)} where {expected}";
            else others++;
        }
    }

    private static string Day(long day) => new DateTime(day * TimeSpan.TicksPerDay, DateTimeKind.Utc).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
