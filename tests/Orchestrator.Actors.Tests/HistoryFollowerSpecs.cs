using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;
using static Orchestrator.Actors.Tests.Support.HistoryFixtures;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The history read model's follower, on every backend: the journal's commit writes no model row (the model is only
/// the follower's); after concurrent bursts of random calls over many sessions the model is the fold of the journal;
/// a follower that fails or is stopped in the middle of a batch starts again from its mark, losing and doubling nothing.
/// </summary>
public abstract class HistoryFollowerSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private const string NoFollower = $"akka.persistence.journal.sql.{HistoryFollower.Setting} = off";

    private string Table(string name) => Backend.JournalTable[..^"journal".Length] + name;

    private long Count(string sql) => Convert.ToInt64(Backend.Query(sql)[0][0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A follower of the journal <paramref name="system"/> writes, separate from the system's own.</summary>
    private static HistoryFollower Follower(ActorSystem system, HistoryFollowerSettings settings, Action? afterCommit = null) =>
        new(StoreOf(system), JournalIntegrity.Get(system), Logging.GetLogger(system, typeof(HistoryFollowerSpecs)), Task.CompletedTask, settings, afterCommit);

    private static async Task CaughtUp(ActorSystem system, HistoryFollower follower)
    {
        var end = await follower.JournalEndAsync(CancellationToken.None);
        Assert.True(await follower.CaughtUpAsync(end, TimeSpan.FromSeconds(60), CancellationToken.None), $"the follower stopped at {follower.Position} of {end}");
    }

    [Fact]
    public async Task The_journals_commit_writes_no_model_row_only_the_follower_does()
    {
        await StopTestKitSystemAsync();
        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options, NoFollower);
        var empty = Follower(host.System, HistoryFollowerSettings.Default);
        await CaughtUp(host.System, empty);
        empty.Stop();
        await empty.Completion;

        await RecordCalls(host.System);

        Assert.True(Backend.ReadJournalRows().Count >= 9);
        Assert.Equal(0, Count($"SELECT COUNT(*) FROM {Table(CallDirectoryStore.HistoryTableName)}"));
        Assert.Equal(0, Count($"SELECT position FROM {Table(CallDirectoryStore.HistoryMarkTableName)}"));
        var commits = 0;
        var follower = Follower(host.System, HistoryFollowerSettings.Default, () => Interlocked.Increment(ref commits));
        await CaughtUp(host.System, follower);
        Assert.Equal(6, Count($"SELECT COUNT(*) FROM {Table(CallDirectoryStore.HistoryTableName)}"));
        // Its commits grow SQLite's log as the writer's do: the checkpointer is told of each.
        Assert.True(Volatile.Read(ref commits) > 0, "the follower told no one of its commits");
        await AssertSameAsScan(host.System, limits: [100]);
        follower.Stop();
        await follower.Completion;
    }

    [Fact]
    public async Task After_concurrent_bursts_of_random_calls_the_model_is_the_fold_of_the_journal()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var next = 0;
        for (var burst = 0; burst < 3; burst++)
        {
            var sessions = Enumerable.Range(0, 6).Select(s => ($"b{burst}s{s}", Scripts(random, $"b{burst}s{s}", ref next))).ToArray();
            var logs = sessions.ToDictionary(s => s.Item1, s => Sys.ActorOf(TestEventLog.Props("session-" + s.Item1)));
            await Task.WhenAll(sessions.Select(async s =>
            {
                foreach (var write in s.Item2) await logs[s.Item1].Ask<Appended>(new AppendAll([.. write]), Patience);
            }));

            try
            {
                await AssertSameAsScan(Sys, limits: [3, 1000]);
                Assert.Empty(Backend.Query($"SELECT call_id FROM {Table(CallDirectoryStore.HistoryTableName)} GROUP BY call_id HAVING COUNT(*) > 1"));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"burst {burst} of seed {seed} (new Random({seed})): {e.Message}");
            }
        }
    }

    /// <summary>A session's random calls, as writes: each call received, maybe decided (in the same event, the same write or later, maybe twice), maybe ended.</summary>
    private static List<List<object>> Scripts(Random random, string session, ref int next)
    {
        var writes = new List<List<object>>();
        var pending = new List<object>();
        for (var i = random.Next(3, 12); i > 0; i--)
        {
            var call = $"p-{next++}";
            var agent = random.Next(3) switch { 0 => "alice", 1 => "bob", _ => "carol" };
            var tool = random.Next(2) == 0 ? "Bash" : "Read";
            var minute = next;
            var decision = (Decision)random.Next(3);
            var rule = random.Next(3) == 0 ? null : random.Next(2) == 0 ? "Bash(rm:*)" : "Read(./.env)";
            var events = new List<object>();
            if (random.Next(3) == 0)
                events.Add(new CallReceivedAndDecided(Received(call, session, agent, tool, minute), Decided(call, decision, rule, minute),
                    Completed: random.Next(2) == 0 ? Completed(call, CallOutcome.Denied, minute) : null));
            else
            {
                events.Add(Received(call, session, agent, tool, minute));
                if (random.Next(4) > 0) events.Add(Decided(call, decision, rule, minute));
                if (random.Next(4) == 0) events.Add(Decided(call, Decision.Allow, rule, minute + 1));
            }
            if (events[^1] is not CallReceivedAndDecided { Completed: not null } && random.Next(3) > 0)
                events.Add(random.Next(2) == 0 ? Completed(call, CallOutcome.AllowedAndRan, minute + 2) : new CallInterrupted(new CallId(call), "restart", T0.AddMinutes(minute + 2)));
            foreach (var e in events)
            {
                pending.Add(e);
                if (random.Next(3) == 0) { writes.Add(pending); pending = []; }
            }
        }
        if (pending.Count > 0) writes.Add(pending);
        return writes;
    }

    [Fact]
    public async Task A_follower_failing_or_stopped_in_the_middle_of_a_batch_starts_again_from_its_mark_losing_and_doubling_nothing()
    {
        await StopTestKitSystemAsync();
        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options, NoFollower);
        await RecordCalls(host.System);
        await RecordMoreCalls(host.System);
        var table = Table(CallDirectoryStore.HistoryTableName);

        // Stopped while its second batch's transaction is open: that batch is not kept.
        var inSecondBatch = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = 0;
        var first = Follower(host.System, HistoryFollowerSettings.Default with
        {
            BatchRows = 3,
            BeforeCommit = async (mark, stopping) =>
            {
                if (++batches < 2) return;
                inSecondBatch.TrySetResult(mark);
                await Task.Delay(Timeout.Infinite, stopping);
            },
        });
        await inSecondBatch.Task.WaitAsync(Patience);
        var kept = first.Position;
        var rowsKept = Count($"SELECT COUNT(*) FROM {table}");
        first.Stop();
        await first.Completion.WaitAsync(Patience);
        Assert.Equal(kept, Count($"SELECT position FROM {Table(CallDirectoryStore.HistoryMarkTableName)}"));

        // Then one whose batches fail now and then: each failure is rolled back and the batch is made again.
        var failures = 0;
        var second = Follower(host.System, HistoryFollowerSettings.Default with
        {
            BatchRows = 2,
            BeforeCommit = (_, _) => ++failures % 3 == 1 ? throw new InvalidOperationException("failure injected before the commit") : Task.CompletedTask,
        });
        await CaughtUp(host.System, second);
        second.Stop();
        await second.Completion;

        Assert.True(failures > 3 && rowsKept > 0, $"{failures} failures, {rowsKept} rows kept by the first follower");
        Assert.Empty(Backend.Query($"SELECT call_id FROM {table} GROUP BY call_id HAVING COUNT(*) > 1"));
        Assert.Equal(9, Count($"SELECT COUNT(*) FROM {table}"));
        await AssertSameAsScan(host.System, limits: [2, 100]);
    }

    [Fact]
    public async Task A_reader_is_answered_while_a_busy_journals_commits_gather_not_after_the_gather()
    {
        await StopTestKitSystemAsync();
        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options, NoFollower);
        // Every round counts as busy and may gather for ten minutes: only a reader waiting for the model ends it sooner.
        var follower = Follower(host.System, HistoryFollowerSettings.Default with { BusyRows = 0, BusyGather = TimeSpan.FromMinutes(10) });
        await CaughtUp(host.System, follower);

        await RecordCalls(host.System);

        await CaughtUp(host.System, follower);
        Assert.Equal(6, Count($"SELECT COUNT(*) FROM {Table(CallDirectoryStore.HistoryTableName)}"));
        follower.Stop();
        await follower.Completion;
    }

    private static async Task RecordMoreCalls(ActorSystem system)
    {
        await Persist(system, "s5", Received("c-7", "s5", "dave", "Bash", 11), Decided("c-7", Decision.Deny, "Bash(rm:*)", 11));
        await Persist(system, "s5", Completed("c-7", CallOutcome.Denied, 12), Received("c-8", "s5", "dave", "Read", 12));
        await Persist(system, "s6", new CallReceivedAndDecided(Received("c-9", "s6", "erin", "Bash", 13), Decided("c-9", Decision.Ask, null, 13)));
        await Persist(system, "s5", Decided("c-8", Decision.Allow, "Read", 14), Completed("c-8", CallOutcome.AllowedAndRan, 15));
    }
}

public sealed class SqliteHistoryFollowerSpecs(ITestOutputHelper output) : HistoryFollowerSpecs(new SqliteBackend(), output);

public sealed class PostgresHistoryFollowerSpecs(ITestOutputHelper output) : HistoryFollowerSpecs(PostgresBackend.FromEnvironment(), output);
