using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;
using SQLitePCL;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The journal writer's group of calls from many sessions lands on a different leaf of <c>journal_uq</c> and of the call
/// directory's key per call: with SQLite's default cache such a group spilled dirty pages into the log before its commit
/// (and wrote them again at it). The writer's connection keeps the whole group in its cache, and its commits leave the
/// log to the checkpointer.
/// </summary>
public sealed class SqliteWriterConnectionTests : IDisposable
{
    private const int Sessions = 2_000;
    private const int EarlierEventsPerSession = 30;
    private const int SqliteCacheSpill = 12; // SQLITE_DBSTATUS_CACHE_SPILL: dirty pages written before the commit

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orchestrator-writer-cache-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_group_of_calls_from_two_thousand_sessions_is_committed_without_spilling_pages_before_its_commit()
    {
        await using var batch = OpenBatch(out var connection);

        await WriteGroupAsync(batch, "first");

        Assert.Equal(0, SpilledPages(connection));
        Assert.Equal(-SqliteWriterConnection.CacheMebibytes * 1024L, Pragma(connection, "cache_size"));
    }

    [Fact]
    public async Task The_same_group_spills_with_sqlites_default_cache_so_the_check_above_can_fail()
    {
        await using var batch = OpenBatch(out var connection);
        Execute(connection, "PRAGMA cache_size = -2000;"); // SQLite's default

        await WriteGroupAsync(batch, "first");

        Assert.True(SpilledPages(connection) > 0, "the default cache was expected to spill this group");
    }

    [Fact]
    public async Task A_commit_that_leaves_more_than_a_thousand_pages_in_the_log_leaves_the_checkpoint_to_the_checkpointer()
    {
        await using var batch = OpenBatch(out _);
        var before = new FileInfo(_file).Length;

        await WriteGroupAsync(batch, "first");

        Assert.True(new FileInfo(_file + "-wal").Length > 1000 * 4096, "the group was expected to leave more than 1,000 pages in the log");
        Assert.Equal(before, new FileInfo(_file).Length);
    }

    [Fact]
    public async Task With_sqlites_own_checkpoint_the_same_commit_copies_the_log_into_the_database_so_the_check_above_can_fail()
    {
        await using var batch = OpenBatch(out var connection);
        Execute(connection, "PRAGMA wal_autocheckpoint = 1000;"); // SQLite's default
        var before = new FileInfo(_file).Length;

        await WriteGroupAsync(batch, "first");

        Assert.True(new FileInfo(_file).Length > before, "SQLite's own checkpoint was expected to copy the group into the database file");
    }

    private SqliteJournalBatch OpenBatch(out SqliteConnection connection)
    {
        connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection,
            "CREATE TABLE journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, deleted INTEGER NOT NULL, persistence_id TEXT NOT NULL, " +
            "sequence_number INTEGER NOT NULL, created INTEGER NOT NULL, tags TEXT, message BLOB NOT NULL, identifier INTEGER, manifest TEXT, writer_uuid TEXT);" +
            "CREATE UNIQUE INDEX journal_uq ON journal (persistence_id, sequence_number);" +
            $"CREATE TABLE {CallDirectoryStore.TableName} (call_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NULL);" +
            $"CREATE TABLE {CallDirectoryStore.ApprovalTableName} (approval_id TEXT NOT NULL PRIMARY KEY, persistence_id TEXT NOT NULL, call_id TEXT NOT NULL, " +
            "requested_seq BIGINT NOT NULL, closed_seq BIGINT NULL, grant_due INTEGER NOT NULL DEFAULT 0);");
        // Earlier events of every session, so that each session's next event lands on a leaf of its own.
        Execute(connection,
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (Sessions * EarlierEventsPerSession - 1) + ") " +
            "INSERT INTO journal (deleted, persistence_id, sequence_number, created, tags, message, identifier, manifest, writer_uuid) " +
            $"SELECT 0, 'session-' || (i % {Sessions}), i / {Sessions} + 1, 0, '', randomblob(300), 1, 'm', 'w' FROM n;" +
            $"INSERT INTO {CallDirectoryStore.TableName} SELECT lower(hex(randomblob(12))), persistence_id, sequence_number, sequence_number FROM journal;");
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);"); // the log holds only what the group writes
        var batch = new SqliteJournalBatch(connection, "journal", CallDirectoryStore.TableName, CallDirectoryStore.ApprovalTableName, "writer");
        raw.sqlite3_db_status(connection.Handle, SqliteCacheSpill, out _, out _, 1); // the filling above spilled: count from here
        return batch;
    }

    private static async Task WriteGroupAsync(SqliteJournalBatch batch, string tag)
    {
        var rows = new List<JournalRow>(Sessions);
        var opens = new List<CallOpened>(Sessions);
        for (var s = 0; s < Sessions; s++)
        {
            var persistenceId = $"session-{s}";
            rows.Add(new JournalRow(persistenceId, EarlierEventsPerSession + 1, 0, "", new byte[300], 1, "m"));
            opens.Add(new CallOpened(new CallId($"{Guid.NewGuid():N}-{tag}"), persistenceId, EarlierEventsPerSession + 1, EarlierEventsPerSession + 1));
        }
        await batch.WriteAsync(rows, opens, [], ApprovalIndexChanges.None, CancellationToken.None);
    }

    private static int SpilledPages(SqliteConnection connection)
    {
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_status(connection.Handle, SqliteCacheSpill, out var spilled, out _, 0));
        return spilled;
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }
}
