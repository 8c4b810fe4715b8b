using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;
using SQLitePCL;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The owner of a connection's prepared statements (<see cref="SqliteStatements"/>): disposed, it finalizes every one;
/// when preparing fails part way — a statement SQLite refuses, or anything else thrown while preparing — those prepared
/// before are finalized and the failure goes on as it was.
/// </summary>
public sealed class SqliteStatementsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orchestrator-statements-{Guid.NewGuid():N}.db");
    private readonly SqliteConnection _connection;

    public SqliteStatementsTests()
    {
        _connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        _connection.Open();
        _connection.Handle!.enable_sqlite3_next_stmt(true);
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (a INTEGER)";
        create.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }

    private bool AnyPrepared => raw.sqlite3_next_stmt(_connection.Handle, null) is not null;

    [Fact]
    public void Disposing_finalizes_every_statement_it_prepared()
    {
        var statements = new SqliteStatements(_connection);
        var (insert, _) = statements.Prepare(p => (p.Statement("INSERT INTO t VALUES ($a)", "$a"), p.Statement("DELETE FROM t")));
        insert.Bind(0, 1L);
        insert.Execute();
        Assert.True(AnyPrepared);

        statements.Dispose();

        Assert.False(AnyPrepared);
        statements.Dispose(); // a second time changes nothing
    }

    [Fact]
    public void A_statement_sqlite_refuses_fails_the_preparing_and_finalizes_those_prepared_before_it()
    {
        using var statements = new SqliteStatements(_connection);

        var failure = Assert.Throws<SqliteException>(() => statements.Prepare(p =>
            (p.Statement("INSERT INTO t VALUES ($a)", "$a"), p.Statement("DELETE FROM t"), p.Statement("SELECT * FROM missing"))));

        Assert.Contains("missing", failure.Message);
        Assert.False(AnyPrepared);
    }

    [Fact]
    public void Any_failure_while_preparing_finalizes_what_was_prepared_and_goes_on_unchanged()
    {
        using var statements = new SqliteStatements(_connection);
        var thrown = new InvalidOperationException("bind failed");

        var failure = Assert.Throws<InvalidOperationException>(() => statements.Prepare<SqliteStatement>(p =>
        {
            p.Statement("INSERT INTO t VALUES ($a)", "$a");
            throw thrown;
        }));
        Assert.Same(thrown, failure);
        Assert.False(AnyPrepared);
        // A parameter the statement does not have: refused, nothing of it left prepared either.
        Assert.Throws<ArgumentException>(() => statements.Prepare(p => p.Statement("INSERT INTO t VALUES ($a)", "$b")));
        Assert.False(AnyPrepared);
    }
}
