using CsCheck;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// How long the history follower lets commits gather: a quiet journal's batch is written after one short gather, as
/// before; a busy one's (at least BusyRows rows per gather) is gathered on, never past BusyGather nor BatchRows rows, and
/// no longer once the rate has fallen.
/// </summary>
public sealed class HistoryFollowerSettingsTests
{
    private static readonly HistoryFollowerSettings Settings = HistoryFollowerSettings.Default;

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void The_defaults_gather_50_ms_and_a_busy_journal_up_to_500_ms()
    {
        Assert.Equal(Ms(50), Settings.Gather);
        Assert.Equal(Ms(500), Settings.BusyGather);
        Assert.Equal(250, Settings.BusyRows);
        Assert.Equal(2_000, Settings.BatchRows);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(50, 50)] // ~1,000 calls/s
    [InlineData(249, 50)]
    public void A_quiet_journals_batch_is_written_after_one_gather(long rows, int gatheredMs) =>
        Assert.False(Settings.GatherMore(rows, Ms(gatheredMs)));

    [Theory]
    [InlineData(250, 50)]
    [InlineData(650, 50)] // ~13,000 calls/s
    [InlineData(1_990, 350)]
    public void A_busy_journals_commits_gather_on(long rows, int gatheredMs) =>
        Assert.True(Settings.GatherMore(rows, Ms(gatheredMs)));

    [Theory]
    [InlineData(650, 460)] // another gather would pass 500 ms
    [InlineData(2_000, 100)] // a full batch is waiting
    [InlineData(300, 200)] // busy in the first gather, 75 rows per gather since
    public void A_busy_journals_batch_is_written_at_the_limit_a_full_batch_or_once_the_rate_falls(long rows, int gatheredMs) =>
        Assert.False(Settings.GatherMore(rows, Ms(gatheredMs)));

    [Fact]
    public void Gathering_never_goes_past_the_busy_limit_nor_a_full_batch()
    {
        Gen.Select(Gen.Long[0, 100_000], Gen.Int[0, 2_000]).Sample((rows, ms) =>
        {
            if (!Settings.GatherMore(rows, Ms(ms))) return true;
            return rows < Settings.BatchRows && Ms(ms) + Settings.Gather <= Settings.BusyGather && rows >= Settings.BusyRows;
        });
    }
}
