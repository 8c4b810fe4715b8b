using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// A write transaction (<c>BEGIN IMMEDIATE</c>) of the journal's writer that waits for SQLite's write lock in steps of at
/// most a millisecond. SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries,
/// so a writer that finds the lock taken (the history follower's batch, a recovery's read transaction) slept on for up
/// to ~100 ms after it was free while every call waiting on the journal waited too: measured, 1 in 15 of the writer's
/// transactions began ≥ 20 ms late at 1,000 agents. Statements run on the connection's handle (<see cref="SqliteStatement"/>);
/// Microsoft.Data.Sqlite does not know of this transaction, so only raw statements may run in it.
/// </summary>
internal sealed class SqliteWriteTransaction : DbTransaction
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private bool _done;

    private SqliteWriteTransaction(SqliteConnection connection, sqlite3 db)
    {
        _connection = connection;
        _db = db;
    }

    /// <summary>Begins once the write lock is free; SQLITE_BUSY (as <see cref="SqliteException"/>) after <paramref name="timeout"/>.</summary>
    /// <param name="refused">Told each try's number (from 1) that found the lock taken, before the next try (tests watch the waiting).</param>
    public static SqliteWriteTransaction Begin(SqliteConnection connection, TimeSpan timeout, Action<int>? refused = null)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        // Tries without SQLite's sleeping busy handler; the connection's busy timeout is back for everything else.
        raw.sqlite3_busy_timeout(db, 0);
        try
        {
            var started = Stopwatch.GetTimestamp();
            for (var attempt = 0; ; attempt++)
            {
                var rc = raw.sqlite3_exec(db, "BEGIN IMMEDIATE");
                if (rc == raw.SQLITE_OK) return new SqliteWriteTransaction(connection, db);
                // The primary code: an extended busy code (a WAL being recovered) is waited out too.
                if ((rc & 0xff) != raw.SQLITE_BUSY || Stopwatch.GetElapsedTime(started) > timeout) SqliteException.ThrowExceptionForRC(rc, db);
                refused?.Invoke(attempt + 1);
                Thread.Sleep(attempt < 8 ? 0 : 1);
            }
        }
        finally
        {
            raw.sqlite3_busy_timeout(db, (int)CallDirectoryStore.SqliteBusyTimeout.TotalMilliseconds);
        }
    }

    public override void Commit()
    {
        _done = true;
        var rc = raw.sqlite3_exec(_db, "COMMIT");
        if (rc == raw.SQLITE_OK) return;
        RollbackIfOpen();
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public override void Rollback()
    {
        _done = true;
        RollbackIfOpen();
    }

    private void RollbackIfOpen()
    {
        // A failed statement or commit may have rolled the transaction back already (SQLite is then in autocommit).
        if (raw.sqlite3_get_autocommit(_db) == 0) raw.sqlite3_exec(_db, "ROLLBACK");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done) Rollback();
        base.Dispose(disposing);
    }

    public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

    protected override DbConnection DbConnection => _connection;
}
