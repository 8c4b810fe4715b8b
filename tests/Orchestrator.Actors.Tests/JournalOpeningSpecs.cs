using Akka.Actor;
using Orchestrator.Actors.Storage;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// A SQLite journal that must not be opened — empty, corrupt, copied without its <c>-wal</c> — is refused before Akka
/// touches it, in one line naming the file and the way out; accepting the loss is recorded; and one process holds a
/// data directory at a time. No TestKit system: most of these refuse before any actor system opens the journal, and
/// the rest start the one host they are about.
/// </summary>
public sealed class JournalOpeningSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SqliteBackend _backend = new();

    private string Database => _backend.Sqlite.DatabasePath;

    private string DataDirectory => Path.GetDirectoryName(Database)!;

    [Fact]
    public async Task The_data_directory_is_created_when_missing()
    {
        Assert.False(Directory.Exists(_backend.Sqlite.DataDirectory));

        await using var host = await OrchestratorTestHost.StartAsync(_backend.Options);

        Assert.True(File.Exists(Database));
    }

    [Fact]
    public void A_zero_length_journal_is_refused()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllBytes(Database, []);

        AssertRefused("empty file");
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_without_a_stack_trace()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllBytes(Database, Enumerable.Range(0, 9000).Select(i => (byte)(i * 7919 % 251)).ToArray());

        AssertRefused("cannot be read as a SQLite database");
    }

    [Fact]
    public async Task A_journal_copied_without_its_wal_is_refused_and_accepting_the_loss_is_recorded()
    {
        await CopyWithoutItsWalAsync("session-copied", events: 5);

        // The copy holds at most the first event; the mark says the session reached #5.
        AssertRefused("but the high-water mark says #5");

        JournalOpening.Check(_backend.Sqlite with { AcceptRewoundJournal = true });
        Assert.Contains("accepted with --accept-rewound-journal", File.ReadAllText(Path.Combine(DataDirectory, JournalOpening.AcceptanceLog)));
        JournalOpening.Check(_backend.Sqlite);
    }

    [Fact]
    public async Task An_accepted_rewound_journal_starts_from_the_lowered_mark_and_its_next_start_is_checked_against_what_it_wrote()
    {
        await CopyWithoutItsWalAsync("session-rewound", events: 5);
        Appended written;

        await using (var accepted = await OrchestratorTestHost.StartAsync(_backend.Sqlite with { AcceptRewoundJournal = true }))
        {
            Assert.Empty(Marks(accepted).Marks);
            written = await accepted.System.ActorOf(TestEventLog.Props("session-rewound")).Ask<Appended>(new Append(TestThingHappened.Sample(6), []), Patience);
            Assert.InRange(written.SequenceNr, 1, 5);
            Assert.Equal(written.SequenceNr, Assert.Single(Marks(accepted).Marks).Value.SequenceNr);
        }

        Assert.Equal(written.SequenceNr, Assert.Single(JournalOpening.Check(_backend.Sqlite).Marks).Value.SequenceNr);
    }

    [Fact]
    public async Task The_journal_starts_from_the_mark_its_opening_check_read_without_reading_the_file_again()
    {
        await using (var host = await OrchestratorTestHost.StartAsync(_backend.Options))
        {
            var log = host.System.ActorOf(TestEventLog.Props("session-read-once"));
            for (var i = 1; i <= 3; i++) await log.Ask<Appended>(new Append(TestThingHappened.Sample(i), []), Patience);
        }
        var checkedMark = JournalOpening.Check(_backend.Sqlite);
        // After the check the file says something unreadable: a journal that read it again would refuse to start.
        File.WriteAllText(JournalKeyFiles.HighWaterMarkPath(DataDirectory), "not a mark");

        await using var reopened = await OrchestratorTestHost.StartAsync(_backend.Sqlite with { CheckedMark = checkedMark });

        Assert.Equal(3, Assert.Single(checkedMark.Marks).Value.SequenceNr);
        Assert.Equal(checkedMark.Marks, Marks(reopened).Marks);
    }

    private static Orchestrator.Core.History.Integrity.HighWaterMark Marks(OrchestratorTestHost host) =>
        Orchestrator.Actors.Journal.JournalIntegrity.Get(host.System).Marks.Current;

    /// <summary>Writes <paramref name="events"/> events to a session, then leaves the journal as a copy of its main file alone.</summary>
    private async Task CopyWithoutItsWalAsync(string session, int events)
    {
        var copy = Path.Combine(Path.GetDirectoryName(DataDirectory)!, "copy.db");
        await using (var host = await OrchestratorTestHost.StartAsync(_backend.Options))
        {
            var log = host.System.ActorOf(TestEventLog.Props(session));
            await log.Ask<Appended>(new Append(TestThingHappened.Sample(1), []), Patience);
            // Taken before the other events are written, the copy lacks them whatever the checkpointer copies into the
            // main file meanwhile (it runs within 200 ms of a write): the mark below always says more than the copy holds.
            File.Copy(Database, copy);
            for (var i = 2; i <= events; i++)
                await log.Ask<Appended>(new Append(TestThingHappened.Sample(i), []), Patience);
        }
        File.Copy(copy, Database, overwrite: true);
        File.Delete(Database + "-wal");
        File.Delete(Database + "-shm");
    }

    [Fact]
    public void A_second_holder_of_a_data_directory_is_refused_naming_the_first()
    {
        Directory.CreateDirectory(DataDirectory);
        using (var first = DataDirectoryLock.Acquire(DataDirectory))
        {
            first.Announce(new Uri("http://127.0.0.1:4321/"));
            var refused = Assert.Throws<StartupRefusedException>(() => DataDirectoryLock.Acquire(DataDirectory));
            Assert.Contains("http://127.0.0.1:4321/", refused.Message, StringComparison.Ordinal);
            Assert.Contains(DataDirectory, refused.Message, StringComparison.Ordinal);
        }
        DataDirectoryLock.Acquire(DataDirectory).Dispose();
        Assert.False(File.Exists(Path.Combine(DataDirectory, DataDirectoryLock.AnnouncementFile)));
    }

    [Fact]
    public async Task Damage_deep_in_the_file_found_after_start_closes_the_journal_to_writes_in_one_line()
    {
        await using (var host = await OrchestratorTestHost.StartAsync(_backend.Options))
            await host.System.ActorOf(TestEventLog.Props("session-before")).Ask<Appended>(new Append(TestThingHappened.Sample(1), []), Patience);
        // Pages nobody reads at start (a table written last, at the end of the file), then damaged on disk.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE filler (x BLOB); " +
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64) INSERT INTO filler SELECT randomblob(3000) FROM n; " +
                "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }
        using (var file = new FileStream(Database, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Seek(-3 * 4096, SeekOrigin.End);
            file.Write(Enumerable.Range(0, 3 * 4096).Select(i => (byte)(i * 31 % 253)).ToArray());
        }
        JournalOpening.Check(_backend.Sqlite); // not refused before start: the damage is not where it looks

        await using var damaged = await OrchestratorTestHost.StartAsync(_backend.Options);
        await Orchestrator.Actors.Journal.CallDirectory.Get(damaged.System).CheckFile().WaitAsync(Patience);

        var line = Orchestrator.Actors.Journal.JournalIntegrity.Get(damaged.System).DamagedLine;
        output.WriteLine(line ?? "(none)");
        Assert.NotNull(line);
        Assert.Contains("is damaged", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        var writer = damaged.System.ActorOf(TestEventLog.Props("session-after"));
        await Assert.ThrowsAnyAsync<Exception>(() => writer.Ask<Appended>(new Append(TestThingHappened.Sample(2), []), TimeSpan.FromSeconds(5)));
    }

    private void AssertRefused(string expected)
    {
        var refused = Assert.Throws<StartupRefusedException>(() => JournalOpening.Check(_backend.Sqlite));
        output.WriteLine(refused.Message);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Contains(Database, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    public void Dispose() => _backend.Dispose();
}
