using Akka.Hosting;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using static Orchestrator.Actors.Tests.Support.HistoryFixtures;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The history read model (orchestrator_history) its follower keeps from the journal, on every backend: every filter
/// and every page reads the same calls from it as from a scan of the journal, and replay finds the same recorded
/// decisions in it alone; a query right after a commit sees that commit; an older journal (or a dropped table) fills it
/// at start; a row edited to point elsewhere, or holding another call's copied event, fails the replay instead of being believed.
/// </summary>
public abstract class HistoryModelSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    protected string HistoryTable => Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryTableName;

    [Fact]
    public async Task Every_filter_and_page_of_the_read_model_is_the_scan_of_the_journal_and_so_are_the_recorded_decisions()
    {
        await RecordCalls(Sys);

        // No waiting by the test: each read waits for the follower to pass the journal's end.
        await AssertSameAsScan(Sys);
        await using var history = new JournalHistory(Sys);
        var all = await history.ListAsync(HistoryFilter.All, 0, 100);
        Assert.Equal(["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"], all.Calls.Select(c => c.CallId));
        var c3 = all.Calls[2];
        Assert.Equal((Core.Policy.Decision.Allow, CallOutcome.Interrupted, "Bash(rm:*)"), (c3.Decision, c3.Outcome, c3.Rule));
    }

    [Fact]
    public async Task A_call_decided_after_it_ended_is_listed_with_that_decision_by_the_read_model_and_by_the_scan_of_the_journal()
    {
        // No session writes a decision after an end, but a journal can hold one, and replay judges and counts it (as
        // HistoryModelCountSpecs shows): the listing shows it too, in a later write or in the same one, with nothing open before.
        await Persist(Sys, "s1", Received("late-1", "s1", "alice", "Bash", 0));
        await Persist(Sys, "s1", new CallInterrupted(new CallId("late-1"), "restart", T0.AddMinutes(1)));
        await Persist(Sys, "s2", Received("other", "s2", "bob", "Bash", 2), Decided("other", Core.Policy.Decision.Deny, "Bash(rm:*)", 2),
            Completed("other", CallOutcome.Denied, 2));
        await Persist(Sys, "s1", Decided("late-1", Core.Policy.Decision.Allow, "Bash(echo:*)", 3));
        await Persist(Sys, "s3", Received("late-2", "s3", "carol", "Bash", 4), new CallInterrupted(new CallId("late-2"), "restart", T0.AddMinutes(5)),
            Decided("late-2", Core.Policy.Decision.Allow, null, 6));

        await AssertSameAsScan(Sys);
        await using var history = new JournalHistory(Sys);
        Assert.Equal(["late-1 Allow Bash(echo:*) Interrupted", "other Deny Bash(rm:*) Denied", "late-2 Allow  Interrupted"],
            (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Select(c => $"{c.CallId} {c.Decision} {c.Rule} {c.Outcome}"));
        Assert.Equal(["late-1", "late-2"],
            (await history.ListAsync(new HistoryFilter { Decision = Core.Policy.Decision.Allow }, 0, 100)).Calls.Select(c => c.CallId));
    }

    [Fact]
    public async Task A_query_right_after_a_commit_sees_that_call()
    {
        await using var history = new JournalHistory(Sys);
        for (var i = 0; i < 20; i++)
        {
            var call = $"r-{i}";
            await Persist(Sys, "s" + (i % 3), Received(call, "s" + (i % 3), "alice", "Bash", i), Decided(call, Core.Policy.Decision.Allow, "Bash", i));

            var page = await history.ListAsync(new HistoryFilter { Session = "s" + (i % 3) }, 0, 100);
            Assert.Equal(call, page.Calls[^1].CallId);
            Assert.Equal(Core.Policy.Decision.Allow, page.Calls[^1].Decision);
            var decided = new List<string>();
            await foreach (var d in history.RecordedDecisionsAsync(null, null, null)) decided.Add(d.CallId.Value);
            Assert.Equal(i + 1, decided.Count);
        }
    }

    [Fact]
    public async Task A_journal_written_before_the_read_model_existed_fills_it_at_start()
    {
        await RecordCalls(Sys);
        await StopTestKitSystemAsync();
        Backend.Execute($"DROP TABLE IF EXISTS {HistoryTable}");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System);
        await using var history = new JournalHistory(host.System);
        Assert.Equal(6, (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Count);
    }

    [Fact]
    public async Task A_model_of_the_older_call_id_keyed_layout_is_rebuilt_at_start()
    {
        await RecordCalls(Sys);
        await StopTestKitSystemAsync();
        var mark = Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryMarkTableName;
        // The follower creates its tables in the background: the stopped system may not have made them yet.
        Backend.Execute($"DROP TABLE IF EXISTS {mark}");
        Backend.Execute($"DROP TABLE IF EXISTS {HistoryTable}");
        Backend.Execute($"CREATE TABLE {HistoryTable} (call_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, position BIGINT NULL)");
        Backend.Execute($"INSERT INTO {HistoryTable} (call_id, persistence_id, position) VALUES ('stale', 'session-x', 1)");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System, limits: [100]);
        await using var history = new JournalHistory(host.System);
        Assert.Equal(["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"], (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Select(c => c.CallId));
    }

    [Fact]
    public async Task A_row_edited_to_point_at_another_place_fails_the_replay_instead_of_being_believed()
    {
        await RecordCalls(Sys);
        await using var history = new JournalHistory(Sys);
        Assert.Equal(6, (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Count);
        Assert.Equal(1, Backend.Execute($"UPDATE {HistoryTable} SET received_seq = 1 WHERE call_id = @c", ("@c", "c-5")));

        var failure = await Assert.ThrowsAsync<JournalIntegrityException>(async () =>
        {
            await foreach (var _ in history.RecordedDecisionsAsync(null, null, null)) { }
        });
        Assert.Contains("c-5", failure.Message);
        Assert.Contains(CallDirectoryStore.HistoryTableName, failure.Message);
    }

    [Fact]
    public async Task A_row_holding_another_calls_decision_record_fails_the_replay_instead_of_being_believed()
    {
        await RecordCalls(Sys);
        await AssertReplayRefused("c-5", "another call's record",
            $"UPDATE {HistoryTable} SET decision_record = (SELECT decision_record FROM {HistoryTable} WHERE call_id = 'c-1') WHERE call_id = 'c-5'");
    }

    [Fact]
    public async Task A_decision_record_with_one_byte_changed_fails_the_replay()
    {
        await RecordCalls(Sys);
        await Followed(Sys);
        var record = RecordOf("c-5");
        record[record.Length / 2] ^= 0x01;
        await AssertReplayRefused("c-5", "one byte changed", $"UPDATE {HistoryTable} SET decision_record = @r WHERE call_id = 'c-5'", ("@r", record));
    }

    [Fact]
    public async Task A_row_moved_to_another_position_fails_the_replay()
    {
        await RecordCalls(Sys);
        await AssertReplayRefused("c-5", "moved", $"UPDATE {HistoryTable} SET position = position + 1000 WHERE call_id = 'c-5'");
    }

    [Fact]
    public async Task A_row_whose_unsealed_agent_or_time_was_edited_into_a_filtered_replay_fails_it_instead_of_being_counted()
    {
        await RecordCalls(Sys);
        await Followed(Sys);
        Assert.Equal(1, Backend.Execute($"UPDATE {HistoryTable} SET agent = 'mallory' WHERE call_id = 'c-5'"));
        await using var history = new JournalHistory(Sys);
        var byAgent = await Assert.ThrowsAsync<JournalIntegrityException>(async () =>
        {
            await foreach (var _ in history.RecordedDecisionsAsync(null, null, "mallory")) { }
        });
        Assert.Contains("c-5", byAgent.Message);
        Assert.Contains("rebuild", byAgent.Message);

        var future = DateTimeOffset.UtcNow.AddYears(5);
        Assert.Equal(1, Backend.Execute($"UPDATE {HistoryTable} SET received_at = @t WHERE call_id = 'c-2'", ("@t", future.UtcTicks)));
        var byTime = await Assert.ThrowsAsync<JournalIntegrityException>(async () =>
        {
            await foreach (var _ in history.RecordedDecisionsAsync(future.AddDays(-1), null, null)) { }
        });
        Assert.Contains("c-2", byTime.Message);
    }

    [Fact]
    public async Task A_row_whose_decision_record_is_missing_fails_the_replay()
    {
        await RecordCalls(Sys);
        await AssertReplayRefused("c-2", "missing", $"UPDATE {HistoryTable} SET decision_record = NULL WHERE call_id = 'c-2'");
    }

    [Fact]
    public async Task A_model_of_the_layout_before_decision_records_is_rebuilt_at_start()
    {
        await RecordCalls(Sys);
        await Followed(Sys);
        await StopTestKitSystemAsync();
        var mark = Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryMarkTableName;
        Assert.Equal(1, Backend.Execute($"UPDATE {mark} SET layout = 2"));
        Backend.Execute($"UPDATE {HistoryTable} SET decision_record = NULL");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System, limits: [100]);
    }

    [Fact]
    public async Task A_call_received_before_a_restart_and_decided_after_it_has_its_decision_record()
    {
        await Persist(Sys, "s3", Received("c-4", "s3", "carol", "WebFetch", 4));
        await Followed(Sys);
        await StopTestKitSystemAsync();

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        await Persist(host.System, "s3", Decided("c-4", Core.Policy.Decision.Ask, "WebFetch(domain:example.com)", 9));

        await AssertSameAsScan(host.System, limits: [100]);
        await using var history = new JournalHistory(host.System);
        var decided = new List<string>();
        await foreach (var d in history.RecordedDecisionsAsync(null, null, null)) decided.Add($"{d.CallId} {d.Verdict.Decision} {d.Tool}");
        Assert.Equal(["c-4 Ask WebFetch"], decided);
    }

    /// <summary>Lets the follower write the calls recorded, applies <paramref name="tamper"/> to the model: replay fails naming the call and the model.</summary>
    private async Task AssertReplayRefused(string call, string what, string tamper, params (string, object)[] parameters)
    {
        await Followed(Sys);
        Assert.True(Backend.Execute(tamper, parameters) == 1, $"the model's row of {call} was not changed ({what})");
        await using var history = new JournalHistory(Sys);
        var failure = await Assert.ThrowsAsync<JournalIntegrityException>(async () =>
        {
            await foreach (var _ in history.RecordedDecisionsAsync(null, null, null)) { }
        });
        Assert.Contains(call, failure.Message);
        Assert.Contains(CallDirectoryStore.HistoryTableName, failure.Message);
        Assert.Contains("rebuild", failure.Message);
    }

    /// <summary>Waits, through a read, for the follower to have written every call committed so far.</summary>
    private static async Task Followed(Akka.Actor.ActorSystem system)
    {
        await using var history = new JournalHistory(system);
        Assert.NotEmpty((await history.ListAsync(HistoryFilter.All, 0, 100)).Calls);
    }

    private byte[] RecordOf(string call) =>
        Assert.IsType<byte[]>(Assert.Single(Backend.Query($"SELECT decision_record FROM {HistoryTable} WHERE call_id = '{call}'"))[0]);
}

public sealed class SqliteHistoryModelSpecs(ITestOutputHelper output) : HistoryModelSpecs(new SqliteBackend(), output);

public sealed class PostgresHistoryModelSpecs(ITestOutputHelper output) : HistoryModelSpecs(PostgresBackend.FromEnvironment(), output);

/// <summary>The same, with Akka.Persistence.Sql writing the events (the follower reads them as it reads the journal's own writer's).</summary>
public sealed class SqliteHistoryModelAroundAkkaWritesSpecs(ITestOutputHelper output) : HistoryModelSpecs(new SqliteBackend(), output)
{
    protected override void ConfigureAkka(Akka.Hosting.AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.AddHocon($"akka.persistence.journal.sql.{IntegrityJournal.OwnWriterSetting} = off", Akka.Hosting.HoconAddMode.Prepend);
        base.ConfigureAkka(builder, provider);
    }
}
