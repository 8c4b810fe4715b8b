using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The journal writer's SQLite transaction (<see cref="SqliteWriteTransaction"/>): it holds the write lock from its
/// start, commits or rolls back what raw statements wrote, tries again when it finds the lock another connection holds
/// (seen refused through its test seam) and takes it once released, fails with SQLITE_BUSY when the lock stays taken past
/// its timeout, and leaves the connection's busy timeout as it was.
/// </summary>
public sealed class SqliteWriteTransactionSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orchestrator-specs", Guid.NewGuid().ToString("N"));
    private readonly string _path;

    public SqliteWriteTransactionSpecs()
    {
        Directory.CreateDirectory(_root);
        _path = Path.Combine(_root, "t.db");
        using var connection = Open();
        Run(connection, "PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        Run(connection, $"PRAGMA busy_timeout = {(int)CallDirectoryStore.SqliteBusyTimeout.TotalMilliseconds}");
        return connection;
    }

    private static object? Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Insert(SqliteConnection connection, long value)
    {
        using var insert = new SqliteStatement(connection, "INSERT INTO t VALUES ($x)", "$x");
        insert.Bind(0, value);
        insert.Execute();
    }

    private long Count()
    {
        using var reader = Open();
        return (long)Run(reader, "SELECT COUNT(*) FROM t")!;
    }

    [Fact]
    public void What_it_commits_is_stored_and_what_it_is_disposed_without_committing_is_not()
    {
        using var connection = Open();
        using (var committed = SqliteWriteTransaction.Begin(connection, TimeSpan.FromSeconds(5)))
        {
            Insert(connection, 1);
            committed.Commit();
        }
        using (SqliteWriteTransaction.Begin(connection, TimeSpan.FromSeconds(5))) Insert(connection, 2);
        using (var rolledBack = SqliteWriteTransaction.Begin(connection, TimeSpan.FromSeconds(5)))
        {
            Insert(connection, 3);
            rolledBack.Rollback();
        }

        Assert.Equal(1, Count());
        Assert.Equal(1L, Run(connection, "SELECT x FROM t"));
    }

    [Fact]
    public void It_holds_the_write_lock_from_its_start_so_another_writer_waits()
    {
        using var connection = Open();
        using var other = Open();
        Run(other, "PRAGMA busy_timeout = 0");
        using var transaction = SqliteWriteTransaction.Begin(connection, TimeSpan.FromSeconds(5));

        // Raw: Microsoft.Data.Sqlite would retry a busy statement for its command timeout.
        Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, SQLitePCL.raw.sqlite3_exec(other.Handle, "BEGIN IMMEDIATE"));
    }

    [Fact]
    public void A_lock_held_past_the_timeout_fails_busy_leaving_the_busy_timeout_as_it_was()
    {
        using var holder = Open();
        using var connection = Open();
        Run(holder, "BEGIN IMMEDIATE");

        var refused = Assert.Throws<SqliteException>(() => SqliteWriteTransaction.Begin(connection, TimeSpan.FromMilliseconds(50)));

        Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, refused.SqliteErrorCode);
        Assert.Equal(CallDirectoryStore.SqliteBusyTimeout.TotalMilliseconds, Convert.ToDouble(Run(connection, "PRAGMA busy_timeout")));
    }

    [Fact]
    public async Task A_try_that_finds_the_lock_held_elsewhere_is_tried_again_and_takes_it_once_released()
    {
        using var holder = Open();
        using var connection = Open();
        Run(holder, "BEGIN IMMEDIATE");
        var tries = 0;
        var firstRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var waiting = Task.Run(() => SqliteWriteTransaction.Begin(connection, TimeSpan.FromSeconds(30), n =>
        {
            Volatile.Write(ref tries, n);
            firstRefused.TrySetResult();
        }));
        // The lock is still held: the transaction can only be waiting on it, having been refused at least once.
        await Task.WhenAny(firstRefused.Task, waiting).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(firstRefused.Task.IsCompleted, $"the first try was not reported refused ({waiting.Status})");
        Assert.False(waiting.IsCompleted);
        Insert(holder, 1);
        Run(holder, "COMMIT");
        using (var transaction = await waiting.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Insert(connection, 2);
            transaction.Commit();
        }

        Assert.True(Volatile.Read(ref tries) >= 1);
        Assert.Equal(2, Count());
        Assert.Equal(CallDirectoryStore.SqliteBusyTimeout.TotalMilliseconds, Convert.ToDouble(Run(connection, "PRAGMA busy_timeout")));
    }
}
