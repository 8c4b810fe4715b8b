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
        await using (var host = await OrchestratorTestHost.StartAsync(Backend.Options))
        {
            Assert.Equal("wal", SqliteJournalFile.JournalMode(Sqlite.Sqlite.DatabasePath));
            var probe = CreateTestProbe(host.System);
            host.System.ActorOf(TestEventLog.Props("wal-1")).Tell(new Append(TestThingHappened.Sample(1), []), probe.Ref);
            await probe.ExpectMsgAsync<Appended>(TimeSpan.FromSeconds(20));
            Assert.True(File.Exists(Sqlite.Sqlite.DatabasePath + "-wal"), "the write-ahead log file exists while the journal is open");
        }

        Assert.Equal("wal", SqliteJournalFile.JournalMode(Sqlite.Sqlite.DatabasePath));
    }

    [Fact]
    public async Task Data_directory_is_created_when_missing()
    {
        Assert.False(Directory.Exists(Sqlite.Sqlite.DataDirectory));

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        Assert.True(File.Exists(Sqlite.Sqlite.DatabasePath));
    }
}
