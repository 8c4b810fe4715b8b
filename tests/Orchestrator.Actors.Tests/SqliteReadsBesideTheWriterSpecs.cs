using Akka.Actor;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// On SQLite, Akka.Persistence.Sql's reads (a recovery's replay, the highest sequence number) run in transactions at its
/// <c>read-isolation-level</c>; Microsoft.Data.Sqlite begins any level but read-uncommitted as <c>BEGIN IMMEDIATE</c>,
/// which takes the write lock, so every recovering session queued behind the journal writer (and held a thread while it
/// waited). At read-uncommitted the read is a deferred <c>BEGIN</c>: in WAL mode it reads the last committed snapshot
/// (without shared cache, read_uncommitted reads nothing uncommitted) and never waits for the writer.
/// </summary>
public sealed class SqliteReadsBesideTheWriterSpecs(ITestOutputHelper output) : JournalSpec<SqliteBackend>(new SqliteBackend(), output)
{
    private const string Id = "session-beside-the-writer";

    [Fact]
    public async Task A_session_recovers_while_another_connection_holds_the_write_lock()
    {
        var probe = CreateTestProbe();
        var log = Sys.ActorOf(TestEventLog.Props(Id));
        for (var i = 1; i <= 3; i++)
        {
            log.Tell(new Append(TestThingHappened.Sample(i), []), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(Patience);
        }
        await StopTestKitSystemAsync();

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);
        await using var writer = new SqliteConnection($"Data Source={Backend.Sqlite.DatabasePath};Pooling=False");
        await writer.OpenAsync();
        await using var held = (SqliteTransaction)await writer.BeginTransactionAsync();
        await using (var write = writer.CreateCommand())
        {
            // Any write takes the database's one write lock until the transaction ends.
            write.Transaction = held;
            write.CommandText = "CREATE TABLE held_by_another_writer (x INTEGER)";
            await write.ExecuteNonQueryAsync();
        }

        var reader = CreateTestProbe(host.System);
        host.System.ActorOf(TestEventLog.Props(Id)).Tell(GetEvents.Instance, reader.Ref);
        // Well inside the 30 s busy timeout a read at a locking level would wait out.
        var events = await reader.ExpectMsgAsync<EventsSoFar>(TimeSpan.FromSeconds(15));

        Assert.Equal(3, events.Events.Length);
        await held.RollbackAsync();
    }
}
