using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;
using SQLitePCL;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The SQLite journal batch's statements: when one cannot be prepared, those prepared before it are finalized — an
/// unfinalized statement keeps the database open after its connection is closed — and the failure is SQLite's own.
/// </summary>
public sealed class SqliteJournalBatchTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orchestrator-batch-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_statement_that_cannot_be_prepared_fails_the_batch_and_leaves_no_statement_of_it_prepared()
    {
        using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        connection.Handle!.enable_sqlite3_next_stmt(true);
        using (var create = connection.CreateCommand())
        {
            // The journal's and the call directory's tables, but no approval index: its statements are the fourth to be prepared.
            create.CommandText =
                "CREATE TABLE journal (ordering INTEGER PRIMARY KEY, deleted INTEGER, persistence_id TEXT, sequence_number INTEGER, created INTEGER, " +
                "tags TEXT, message BLOB, identifier INTEGER, manifest TEXT, writer_uuid TEXT);" +
                $"CREATE TABLE {CallDirectoryStore.TableName} (call_id TEXT PRIMARY KEY, persistence_id TEXT, first_seq INTEGER, last_seq INTEGER);";
            create.ExecuteNonQuery();
        }

        var failure = Assert.Throws<SqliteException>(() => new SqliteJournalBatch(connection, "journal", CallDirectoryStore.TableName, "no_approvals", "writer"));

        Assert.Contains("no_approvals", failure.Message);
        Assert.Null(raw.sqlite3_next_stmt(connection.Handle, null));
        // The same connection still makes a whole batch once the table is there.
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE no_approvals (approval_id TEXT PRIMARY KEY, persistence_id TEXT, call_id TEXT, requested_seq INTEGER, " +
                "closed_seq INTEGER, grant_due INTEGER)";
            create.ExecuteNonQuery();
        }
        var batch = new SqliteJournalBatch(connection, "journal", CallDirectoryStore.TableName, "no_approvals", "writer");
        Assert.NotNull(raw.sqlite3_next_stmt(connection.Handle, null));
        await batch.DisposeAsync();
    }

    public void Dispose()
    {
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }
}
