using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;
using static Orchestrator.Actors.Tests.Support.HistoryFixtures;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// Rows deleted from the history read model, on every backend: the follower's sealed counts (per agent and day of
/// receipt, their total with the mark) make a replay that read fewer decisions than sealed fail naming the agent and
/// day, whether it reads all, an agent's or a time window's; counts deleted, edited or put back from an older state are
/// refused too, and a follower started on edited counts rebuilds the model instead of sealing them again.
/// </summary>
public abstract class HistoryModelDeletionSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private string Table(string name) => Backend.JournalTable[..^"journal".Length] + name;

    private string HistoryTable => Table(CallDirectoryStore.HistoryTableName);

    private string TallyTable => Table(CallDirectoryStore.HistoryTallyTableName);

    private string MarkTable => Table(CallDirectoryStore.HistoryMarkTableName);

    [Fact]
    public async Task Deleting_one_row_fails_the_replay_naming_its_agent_and_day()
    {
        await Recorded();
        Assert.Equal(1, Backend.Execute($"DELETE FROM {HistoryTable} WHERE call_id = 'c-5'"));

        var failure = await AssertRefused(null, null, null);
        Assert.Contains("agent bob received on 2026-12-01", failure.Message);
        Assert.Contains("holds 1 decided rows of agent bob received on 2026-12-01 where its sealed count says 2", failure.Message);
        await AssertRefused(null, null, "bob");
        await AssertRefused(T0.AddMinutes(7), T0.AddMinutes(8), null);
    }

    [Fact]
    public async Task Deleting_a_range_of_rows_fails_the_replay()
    {
        await Recorded();
        Assert.Equal(3, Backend.Execute($"DELETE FROM {HistoryTable} WHERE call_id IN ('c-2', 'c-3', 'c-4')"));

        await AssertRefused(null, null, null);
        await AssertRefused(T0.AddMinutes(1), T0.AddMinutes(2), null);
    }

    [Fact]
    public async Task Deleting_the_newest_row_fails_the_replay()
    {
        await Recorded();
        Assert.Equal(1, Backend.Execute($"DELETE FROM {HistoryTable} WHERE position = (SELECT MAX(position) FROM {HistoryTable})"));

        var failure = await AssertRefused(null, null, null);
        Assert.Contains("agent alice", failure.Message);
    }

    [Fact]
    public async Task Deleting_every_row_of_one_agent_fails_the_replays_that_select_them_and_leaves_the_others_agents_whole()
    {
        await Recorded();
        Assert.Equal(2, Backend.Execute($"DELETE FROM {HistoryTable} WHERE agent = 'bob'"));

        await AssertRefused(null, null, null);
        await AssertRefused(null, null, "bob");
        await AssertRefused(T0, T0.AddDays(1), null);
        // Alice's decisions are all there, as sealed: her replay reads them whole.
        Assert.Equal(["c-1", "c-3", "c-6"], await Replayed(null, null, "alice"));
    }

    [Fact]
    public async Task Deleting_a_row_with_its_count_or_putting_back_an_older_count_or_mark_fails_the_replay()
    {
        await Recorded();
        var bob = Backend.Query($"SELECT decisions, seal FROM {TallyTable} WHERE agent = 'bob'")[0];
        var mark = Backend.Query($"SELECT position, decisions, seal FROM {MarkTable}")[0];
        await Persist(Sys, "s2", Received("c-7", "s2", "bob", "Bash", 20), Decided("c-7", Decision.Allow, null, 20));
        Assert.Equal(["c-1", "c-2", "c-3", "c-5", "c-4", "c-6", "c-7"], await Replayed(null, null, null));

        Assert.Equal(1, Backend.Execute($"DELETE FROM {HistoryTable} WHERE call_id = 'c-7'"));
        Assert.Equal(1, Backend.Execute($"UPDATE {TallyTable} SET decisions = @n, seal = @s WHERE agent = 'bob'", ("@n", bob[0]!), ("@s", bob[1]!)));
        Assert.Contains("counts of 6 decisions in all where its mark says 7", (await AssertRefused(null, null, "bob")).Message);

        Assert.Equal(1, Backend.Execute($"UPDATE {MarkTable} SET position = @p, decisions = @n, seal = @s", ("@p", mark[0]!), ("@n", mark[1]!), ("@s", mark[2]!)));
        Assert.Contains("behind the position", (await AssertRefused(null, null, null)).Message);

        Assert.Equal(1, Backend.Execute($"DELETE FROM {TallyTable} WHERE agent = 'carol'"));
        await AssertRefused(null, null, "carol");
    }

    [Fact]
    public async Task A_count_edited_to_match_the_rows_left_fails_on_its_seal()
    {
        await Recorded();
        Assert.Equal(1, Backend.Execute($"DELETE FROM {HistoryTable} WHERE call_id = 'c-5'"));
        Assert.Equal(1, Backend.Execute($"UPDATE {TallyTable} SET decisions = 1 WHERE agent = 'bob'"));
        Assert.Equal(1, Backend.Execute($"UPDATE {MarkTable} SET decisions = decisions - 1"));

        Assert.Contains("whose seal does not match", (await AssertRefused(null, null, "alice")).Message);
    }

    [Fact]
    public async Task An_untouched_model_replays_windows_cutting_days_as_the_journal_scan_does()
    {
        await RecordCalls(Sys);
        // Calls either side of midnight, of two agents: a window from the evening to the morning reads both days whole and judges its own.
        for (var i = 0; i < 6; i++)
        {
            var minute = 13 * 60 + 50 + i * 3; // 23:50 .. 00:05 (T0 is 10:00)
            await Persist(Sys, "n" + (i % 2), Received($"n-{i}", "n" + (i % 2), i % 2 == 0 ? "alice" : "dave", "Bash", minute),
                Decided($"n-{i}", Decision.Allow, null, minute));
        }
        await using var history = new JournalHistory(Sys);
        foreach (var (from, to, agent) in new (DateTimeOffset?, DateTimeOffset?, string?)[]
                 {
                     (T0.AddMinutes(13 * 60 + 55), T0.AddMinutes(14 * 60 + 2), null), (T0.AddMinutes(13 * 60 + 55), T0.AddMinutes(14 * 60 + 2), "alice"),
                     (T0.AddMinutes(5), null, "dave"), (null, T0.AddMinutes(14 * 60), null), (null, null, null),
                 })
        {
            var scanned = new List<string>();
            await foreach (var (_, d) in history.DecisionsAsync(0, from, to, agent)) scanned.Add(Fields(d));
            var modelled = new List<string>();
            await foreach (var d in history.RecordedDecisionsAsync(from, to, agent)) modelled.Add(Fields(d));
            Assert.Equal(scanned, modelled);
        }
        Assert.Equal(["n-1", "n-2", "n-3", "n-4"], await Replayed(T0.AddMinutes(13 * 60 + 53), T0.AddMinutes(14 * 60 + 3), null));
    }

    [Fact]
    public async Task A_follower_started_on_edited_counts_rebuilds_the_model_instead_of_sealing_them_again()
    {
        await Recorded();
        await StopTestKitSystemAsync();
        Assert.Equal(1, Backend.Execute($"DELETE FROM {HistoryTable} WHERE call_id = 'c-5'"));
        Assert.Equal(1, Backend.Execute($"UPDATE {TallyTable} SET decisions = 1 WHERE agent = 'bob'"));

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System, limits: [100]);
        await using var history = new JournalHistory(host.System);
        Assert.Equal(6, (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Count);
    }

    [Fact]
    public async Task The_advice_of_the_refusal_dropping_the_table_and_restarting_gives_a_model_that_replays_again()
    {
        await Recorded();
        Assert.Equal(2, Backend.Execute($"DELETE FROM {HistoryTable} WHERE agent = 'alice' AND call_id <> 'c-6'"));
        await AssertRefused(null, null, null);
        await StopTestKitSystemAsync();
        Backend.Execute($"DROP TABLE {HistoryTable}");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System, limits: [100]);
    }

    /// <summary>The fixture's calls recorded and followed, the model whole.</summary>
    private async Task Recorded()
    {
        await RecordCalls(Sys);
        Assert.Equal(["c-1", "c-2", "c-3", "c-5", "c-4", "c-6"], await Replayed(null, null, null));
    }

    private async Task<List<string>> Replayed(DateTimeOffset? from, DateTimeOffset? to, string? agent)
    {
        await using var history = new JournalHistory(Sys);
        var calls = new List<string>();
        await foreach (var d in history.RecordedDecisionsAsync(from, to, agent)) calls.Add(d.CallId.Value);
        return calls;
    }

    private async Task<JournalIntegrityException> AssertRefused(DateTimeOffset? from, DateTimeOffset? to, string? agent)
    {
        var failure = await Assert.ThrowsAsync<JournalIntegrityException>(() => Replayed(from, to, agent));
        Assert.Contains(CallDirectoryStore.HistoryTableName, failure.Message);
        Assert.Contains("rebuild", failure.Message);
        return failure;
    }
}

public sealed class SqliteHistoryModelDeletionSpecs(ITestOutputHelper output) : HistoryModelDeletionSpecs(new SqliteBackend(), output);

public sealed class PostgresHistoryModelDeletionSpecs(ITestOutputHelper output) : HistoryModelDeletionSpecs(PostgresBackend.FromEnvironment(), output);
