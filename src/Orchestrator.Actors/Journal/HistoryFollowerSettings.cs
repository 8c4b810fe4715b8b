namespace Orchestrator.Actors.Journal;

/// <summary>
/// How the <see cref="HistoryFollower"/> batches: journal rows per transaction at most, how long it lets commits gather
/// before a batch nobody waits for, the timer that backs up the commits' wake-ups, how many rows per gather make the
/// journal busy and how long a busy journal's commits may gather, and a hook run inside each batch's transaction just
/// before its commit (tests make a batch fail there).
/// </summary>
/// <remarks>
/// A busy journal (at least <see cref="BusyRows"/> rows committed within one <see cref="Gather"/>) is gathered for longer,
/// up to <see cref="BusyGather"/> or a full batch of <see cref="BatchRows"/> rows: with many sessions each of the model's
/// rows lands on its own leaf of the session and agent indexes, so a batch dirties about one page per row of each until
/// it holds several rows per session (BENCHMARKS.md, "The history follower's batches"). A batch stays at most 2,000 rows:
/// its transaction holds SQLite's write lock, and one of 20,000 rows once pushed the decisions' p99 to 536 ms; catching up
/// and rebuilding write full batches back to back. A quiet journal keeps the short gather: a long one there made the
/// journal writer's commits slower (p50 at ~1,000 calls/s 1.1 → 8 ms with 500 ms). Busy is counted from the call events
/// this process's journal writer hands over, so a follower beside a journal written elsewhere (or with the journal's own
/// writer off) always keeps the short gather.
/// </remarks>
public sealed record HistoryFollowerSettings(
    int BatchRows,
    TimeSpan Gather,
    TimeSpan Idle,
    int BusyRows,
    TimeSpan BusyGather,
    Func<long, CancellationToken, Task>? BeforeCommit = null)
{
    public static readonly HistoryFollowerSettings Default =
        new(2_000, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), BusyRows: 250, BusyGather: TimeSpan.FromMilliseconds(500));

    /// <summary>
    /// After <paramref name="gathered"/> of gathering, in which <paramref name="rows"/> rows were committed: whether to
    /// gather another <see cref="Gather"/> before the batch (no when a reader waits; the caller checks that first).
    /// </summary>
    public bool GatherMore(long rows, TimeSpan gathered)
    {
        if (rows >= BatchRows || gathered + Gather > BusyGather) return false;
        // The rate over what was gathered so far, in rows per Gather.
        return rows * Gather.Ticks >= BusyRows * Math.Max(gathered.Ticks, Gather.Ticks);
    }
}
