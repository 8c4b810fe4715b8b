using Akka.Actor;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>The journal contract on a real SQLite file, plus what only SQLite needs.</summary>
public sealed class SqliteJournalSpecs(ITestOutputHelper output) : JournalContractSpecs(new SqliteBackend(), output)
{
    private SqliteBackend Sqlite => (SqliteBackend)Backend;

    [Fact]
    public async Task Database_file_is_in_wal_mode_before_and_after_akka_writes_to_it()
    {
        Assert.Equal("wal", SqliteJournalFile.JournalMode(Sqlite.Sqlite.DatabasePath));
        var probe = CreateTestProbe();
        Sys.ActorOf(TestEventLog.Props("wal-1")).Tell(new Append(TestThingHappened.Sample(1), []), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(TimeSpan.FromSeconds(20));
        Assert.True(File.Exists(Sqlite.Sqlite.DatabasePath + "-wal"), "the write-ahead log file exists while the journal is open");

        await StopTestKitSystemAsync();

        Assert.Equal("wal", SqliteJournalFile.JournalMode(Sqlite.Sqlite.DatabasePath));
    }
}
