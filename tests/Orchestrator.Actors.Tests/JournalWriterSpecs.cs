using System.Collections.Immutable;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The journal's own writer (<see cref="JournalWriter"/>, on by default) writes the rows Akka.Persistence.Sql's own
/// write path writes: the same events written both ways into one journal give the same column values and (SQLite)
/// storage types, apart from the ordering, the time and the writer's uuid; and each way reads what the other wrote.
/// </summary>
public abstract class JournalWriterSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private static readonly object[] Written = [TestThingHappened.Sample(1), new TestThingRenamed("a", "b", ["x"]), TestThingHappened.Sample(2)];
    private static readonly ImmutableArray<string>[] Tags = [["blue", "agent-1"], [], ["red"]];

    protected abstract string RowsSql(string persistenceId);

    private static object?[] Comparable(object?[] row) =>
        [.. row[2..5], SealedEventSerializer.EventBytes((byte[])row[5]!), .. row[6..]];

    private async Task WriteAll(Akka.Actor.ActorSystem system, string persistenceId)
    {
        var log = system.ActorOf(TestEventLog.Props(persistenceId));
        var probe = CreateTestProbe(system);
        for (var i = 0; i < Written.Length; i++)
        {
            log.Tell(new Append(Written[i], Tags[i]), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(Patience);
        }
    }

    private async Task<object[]> Recovered(Akka.Actor.ActorSystem system, string persistenceId)
    {
        var probe = CreateTestProbe(system);
        system.ActorOf(TestEventLog.Props(persistenceId)).Tell(GetEvents.Instance, probe.Ref);
        return [.. (await probe.ExpectMsgAsync<EventsSoFar>(Patience)).Events];
    }

    [Fact]
    public async Task Rows_written_by_the_own_writer_match_those_Akka_Persistence_Sql_writes_and_each_reads_the_other()
    {
        var before = DateTime.UtcNow.Ticks;
        await WriteAll(Sys, "session-own");
        await StopTestKitSystemAsync();

        IReadOnlyList<object?[]> own, akka;
        await using (var host = await OrchestratorTestHost.StartAsync(Backend.Options, $"akka.persistence.journal.sql.{IntegrityJournal.OwnWriterSetting} = off"))
        {
            Assert.Equal(EventJson.Of(Written), EventJson.Of(await Recovered(host.System, "session-own")));
            await WriteAll(host.System, "session-akka");
            own = Backend.Query(RowsSql("session-own"));
            akka = Backend.Query(RowsSql("session-akka"));
        }
        var after = DateTime.UtcNow.Ticks;

        Assert.Equal(Written.Length, own.Count);
        Assert.Equal(akka.Count, own.Count);
        for (var i = 0; i < own.Count; i++)
        {
            // Columns: created, writer_uuid, then everything else (compared as is, storage types included on SQLite).
            foreach (var row in new[] { own[i], akka[i] })
            {
                Assert.InRange(Convert.ToInt64(row[0]), before, after);
                Assert.Matches("^[0-9a-f]{32}$", (string)row[1]!);
            }
            // The seal covers the persistence id, so the sealed bytes differ; the event inside them is the same.
            Assert.Equal(Comparable(akka[i]), Comparable(own[i]));
        }
        Assert.Equal([";", "agent-1", "blue", ";"], [((string)own[0][3]!)[..1], .. ((string)own[0][3]!).Split(';', StringSplitOptions.RemoveEmptyEntries).Order(), ((string)own[0][3]!)[^1..]]);
        Assert.Equal("", own[1][3]);

        await using var again = await OrchestratorTestHost.StartAsync(Backend.Options);
        Assert.Equal(EventJson.Of(Written), EventJson.Of(await Recovered(again.System, "session-akka")));
    }
}

public sealed class SqliteJournalWriterSpecs(ITestOutputHelper output) : JournalWriterSpecs(new SqliteBackend(), output)
{
    [Fact]
    public async Task The_write_ahead_log_is_copied_into_the_database_file_while_the_journal_is_written_not_at_the_writers_commit()
    {
        var file = new FileInfo(((SqliteBackend)Backend).Sqlite.DatabasePath);
        var log = Sys.ActorOf(TestEventLog.Props("session-large"));
        var probe = CreateTestProbe();
        log.Tell(new Append(TestThingHappened.Sample(0), []), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);
        file.Refresh();
        var before = file.Length;

        // 400 KB: ~100 pages, far below the 1,000 after which SQLite itself would checkpoint in a commit (and the
        // writer's own fallback of 16,384), so only the checkpointer copies them into the file.
        for (var i = 0; i < 20; i++)
        {
            log.Tell(new Append(new TestThingRenamed(new string('x', 20_000) + i, "b", null), []), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(Patience);
        }

        await AwaitConditionAsync(() =>
        {
            file.Refresh();
            return Task.FromResult(file.Length >= before + 20 * 20_000);
        }, Patience);
    }

    protected override string RowsSql(string persistenceId) =>
        "SELECT created, writer_uuid, sequence_number, tags, deleted, message, identifier, manifest, " +
        "typeof(created), typeof(writer_uuid), typeof(sequence_number), typeof(tags), typeof(deleted), typeof(message), typeof(identifier), typeof(manifest), typeof(persistence_id) " +
        $"FROM journal WHERE persistence_id = '{persistenceId}' ORDER BY sequence_number";
}

public sealed class PostgresJournalWriterSpecs(ITestOutputHelper output) : JournalWriterSpecs(PostgresBackend.FromEnvironment(), output)
{
    protected override string RowsSql(string persistenceId) =>
        "SELECT created, writer_uuid, sequence_number, tags, deleted, message, identifier, manifest " +
        $"FROM {Backend.JournalTable} WHERE persistence_id = '{persistenceId}' ORDER BY sequence_number";
}
