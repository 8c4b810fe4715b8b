using Akka.Actor;
using CsCheck;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;
using static Orchestrator.Actors.Tests.Support.HistoryFixtures;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The history read model's follower and a replay of the model count the same thing (<see cref="HistoryTally.Counts"/>),
/// on every backend, whatever the kind of call: decided at receipt, decided later, asked then answered, ended without a
/// decision, decided after it ended (in later writes or in one), still open — its events in one batch of the follower or
/// in several, the follower started again between them or not. An untouched model replays as the journal scan does
/// with counts equal to its decided rows; deleting the row of any decided kind is still refused naming its agent and day.
/// </summary>
public abstract class HistoryModelCountSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    /// <summary>A store of the same kind as <see cref="JournalSpec{TBackend}.Backend"/>, new and empty.</summary>
    protected abstract IJournalBackend NewBackend();

    public enum Kind { DecidedAtReceipt, DecidedLater, AskedThenAnswered, EndedUndecided, DecidedAfterEnd, DecidedAfterEndInOneWrite, StillOpen }

    private sealed record Call(string Id, Kind Kind, string Agent, int Minute)
    {
        public string Session => "s-" + Id;

        public bool IsDecided => Kind is not (Kind.EndedUndecided or Kind.StillOpen);

        /// <summary>The call's journal writes in order, each one atomic write of its session.</summary>
        public object[][] Writes()
        {
            var received = Received(Id, Session, Agent, "Bash", Minute);
            var interrupted = new CallInterrupted(new CallId(Id), "restart", T0.AddMinutes(Minute + 1));
            var later = Decided(Id, Decision.Allow, null, Minute + 2);
            return Kind switch
            {
                Kind.DecidedAtReceipt => [[new CallReceivedAndDecided(received, Decided(Id, Decision.Allow, "Bash(echo:*)", Minute))],
                    [Completed(Id, CallOutcome.AllowedAndRan, Minute + 1)]],
                Kind.DecidedLater => [[received], [Decided(Id, Decision.Deny, null, Minute + 1)], [Completed(Id, CallOutcome.Denied, Minute + 1)]],
                Kind.AskedThenAnswered => [[received, Decided(Id, Decision.Ask, "Bash(rm:*)", Minute)], [later], [Completed(Id, CallOutcome.AllowedAndRan, Minute + 3)]],
                Kind.EndedUndecided => [[received], [interrupted]],
                Kind.DecidedAfterEnd => [[received], [interrupted], [later]],
                Kind.DecidedAfterEndInOneWrite => [[received, interrupted, later]],
                _ => [[received]],
            };
        }
    }

    private static readonly string[] Agents = ["alice", "bob", "carol"];

    private static readonly Gen<Kind> Kinds = Gen.Int[0, Enum.GetValues<Kind>().Length - 1].Select(i => (Kind)i);

    private static string Table(IJournalBackend backend, string name) => backend.JournalTable[..^"journal".Length] + name;

    private string Table(string name) => Table(Backend, name);

    [Fact]
    public async Task Calls_of_every_kind_written_in_any_batches_are_counted_as_replay_counts_them_and_an_untouched_model_replays()
    {
        // Calls over three days and three agents; after each round of writes the follower is waited for or not (one batch
        // or several). Each sample on a store and actor system of its own, its ids its own: the seed CsCheck prints for a
        // failing sample replays that failure alone (SampleAsync(..., seed: "...")).
        var gen = Gen.Select(Gen.Select(Kinds, Gen.Int[0, 2], Gen.Int[0, 2 * 24 * 60]).Array[1, 12], Gen.Bool.Array[3]);
        await gen.SampleAsync(async input =>
        {
            var (kinds, waits) = input;
            var calls = kinds.Select((k, i) => new Call($"p-{i}", k.Item1, Agents[k.Item2], k.Item3)).ToList();
            using var backend = NewBackend();
            await using var host = await OrchestratorTestHost.StartAsync(backend.Options);
            await Record(host.System, calls, 0, int.MaxValue, waits);
            await AssertCountedAsReplayCountsAndReplays(host.System, backend, calls);
        }, iter: 12, threads: 1);
    }

    [Fact]
    public async Task Calls_of_every_kind_whose_events_straddle_restarts_of_the_follower_are_counted_once_each()
    {
        var calls = Enum.GetValues<Kind>().Select((k, i) => new Call($"r-{i}", k, Agents[i % Agents.Length], i * 200)).ToList();
        await Record(Sys, calls, 0, 1, [true]);
        await StopTestKitSystemAsync();
        await using (var host = await OrchestratorTestHost.StartAsync(Backend.Options))
            await Record(host.System, calls, 1, 2, [true]);
        await using var again = await OrchestratorTestHost.StartAsync(Backend.Options);
        await Record(again.System, calls, 2, int.MaxValue, [true]);

        await AssertCountedAsReplayCountsAndReplays(again.System, calls);
    }

    [Fact]
    public async Task Deleting_the_row_of_any_decided_kind_fails_the_replay_naming_its_agent_and_day_and_leaves_the_others_whole()
    {
        // Each kind its own agent: deleting one's row fails that agent's replay and no other's.
        var calls = Enum.GetValues<Kind>().Select((k, i) => new Call($"d-{i}", k, k.ToString(), i)).ToList();
        await Record(Sys, calls, 0, int.MaxValue, [true]);
        await AssertCountedAsReplayCountsAndReplays(Sys, calls);
        var history = Table(CallDirectoryStore.HistoryTableName);

        foreach (var call in calls.Where(c => c.IsDecided))
        {
            Assert.NotEmpty(await Replayed(call.Agent));
            Assert.Equal(1, Backend.Execute($"DELETE FROM {history} WHERE call_id = '{call.Id}'"));

            var failure = await Assert.ThrowsAsync<JournalIntegrityException>(() => Replayed(call.Agent));
            Assert.Contains($"holds 0 decided rows of agent {call.Agent} received on 2026-12-01 where its sealed count says 1", failure.Message);
        }
        // A row deleted while its call is open: the decision that comes later is counted, and its row is missed.
        var open = calls.Single(c => c.Kind == Kind.StillOpen);
        Assert.Equal(1, Backend.Execute($"DELETE FROM {history} WHERE call_id = '{open.Id}'"));
        Assert.Empty(await Replayed(open.Agent));
        await Persist(Sys, open.Session, Decided(open.Id, Decision.Allow, null, 30));
        var missed = await Assert.ThrowsAsync<JournalIntegrityException>(() => Replayed(open.Agent));
        Assert.Contains($"holds 0 decided rows of agent {open.Agent}", missed.Message);
        // A call ended without a decision holds none: its row deleted, no replay loses anything.
        var undecided = calls.Single(c => c.Kind == Kind.EndedUndecided);
        Assert.Equal(1, Backend.Execute($"DELETE FROM {history} WHERE call_id = '{undecided.Id}'"));
        Assert.Empty(await Replayed(undecided.Agent));
    }

    /// <summary>Writes rounds [<paramref name="from"/>, <paramref name="to"/>) of every call's writes, round by round, waiting for the follower after a round when <paramref name="waits"/> says so.</summary>
    private static async Task Record(ActorSystem system, IReadOnlyList<Call> calls, int from, int to, bool[] waits)
    {
        var writes = calls.Select(c => c.Writes()).ToList();
        for (var round = from; round < to && writes.Any(w => round < w.Length); round++)
        {
            for (var i = 0; i < calls.Count; i++)
                if (round < writes[i].Length) await Persist(system, calls[i].Session, writes[i][round]);
            if (waits[round % waits.Length])
            {
                await using var history = new JournalHistory(system) { ModelWait = Patience };
                await history.ListAsync(HistoryFilter.All, 0, 1); // waits for the model to hold every write so far
            }
        }
    }

    /// <summary>
    /// The model's replay of everything reads what the journal scan reads, without an integrity error; its sealed counts
    /// are the decided calls per agent and day, and so are its rows that hold a decision record.
    /// </summary>
    private Task AssertCountedAsReplayCountsAndReplays(ActorSystem system, IReadOnlyList<Call> calls) =>
        AssertCountedAsReplayCountsAndReplays(system, Backend, calls);

    private static async Task AssertCountedAsReplayCountsAndReplays(ActorSystem system, IJournalBackend backend, IReadOnlyList<Call> calls)
    {
        await using var history = new JournalHistory(system) { ModelWait = Patience };
        var scanned = new List<string>();
        await foreach (var (_, d) in history.DecisionsAsync(0, null, null, null)) scanned.Add(Fields(d));
        var modelled = new List<string>();
        await foreach (var d in history.RecordedDecisionsAsync(null, null, null)) modelled.Add(Fields(d));
        Assert.Equal(scanned, modelled);

        var expected = Counts(calls.Where(c => c.IsDecided).Select(c => (c.Agent, T0.AddMinutes(c.Minute).UtcTicks)));
        Assert.Equal(expected, Counts(backend.Query($"SELECT agent, day, decisions FROM {Table(backend, CallDirectoryStore.HistoryTallyTableName)}")
            .SelectMany(r => Enumerable.Repeat(((string)r[0]!, Convert.ToInt64(r[1]) * TimeSpan.TicksPerDay), (int)Convert.ToInt64(r[2])))));
        Assert.Equal(expected, Counts(backend.Query(
                $"SELECT agent, received_at FROM {Table(backend, CallDirectoryStore.HistoryTableName)} WHERE decided_seq IS NOT NULL AND decision_record IS NOT NULL")
            .Select(r => ((string)r[0]!, Convert.ToInt64(r[1])))));
    }

    private static List<string> Counts(IEnumerable<(string Agent, long ReceivedAt)> rows) =>
        [.. rows.GroupBy(r => (r.Agent, HistoryTally.DayOf(r.ReceivedAt))).Select(g => $"{g.Key.Agent} {g.Key.Item2}: {g.Count()}").Order(StringComparer.Ordinal)];

    private async Task<List<string>> Replayed(string agent)
    {
        await using var history = new JournalHistory(Sys) { ModelWait = Patience };
        var calls = new List<string>();
        await foreach (var d in history.RecordedDecisionsAsync(null, null, agent)) calls.Add(d.CallId.Value);
        return calls;
    }
}

public sealed class SqliteHistoryModelCountSpecs(ITestOutputHelper output) : HistoryModelCountSpecs(new SqliteBackend(), output)
{
    protected override IJournalBackend NewBackend() => new SqliteBackend();
}

public sealed class PostgresHistoryModelCountSpecs(ITestOutputHelper output) : HistoryModelCountSpecs(PostgresBackend.FromEnvironment(), output)
{
    protected override IJournalBackend NewBackend() => PostgresBackend.FromEnvironment();
}
