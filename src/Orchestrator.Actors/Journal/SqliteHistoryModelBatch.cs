using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// SQLite: the history read model's statements prepared once on the follower's connection and bound through SQLite's own
/// API (<see cref="SqliteStatement"/>), executed per row inside the transaction (no parameter objects per row).
/// </summary>
internal sealed class SqliteHistoryModelBatch : HistoryModelBatch
{
    private readonly SqliteRowValues _insert;
    private readonly SqliteRowValues _decide;
    private readonly SqliteRowValues _end;

    public SqliteHistoryModelBatch(SqliteConnection connection, CallDirectoryStore store) : base(connection, store)
    {
        _insert = new(Statement(connection, n => InsertSql(store, n), NewRowValues));
        _decide = new(Statement(connection, n => DecideSql(store, n), DecisionValues));
        _end = new(Statement(connection, n => EndSql(store, n), EndValues));
    }

    // The statements run in the transaction the connection has open; Microsoft.Data.Sqlite's async methods ran
    // synchronously too.
    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                NewRow(change, _insert.Start());
                _insert.Execute();
                continue;
            }
            if (change.DecisionChanged)
            {
                Decision(change, _decide.Start());
                _decide.Execute();
            }
            if (change.Ended)
            {
                End(change, _end.Start());
                _end.Execute();
            }
        }
        return Task.CompletedTask;
    }

    private static SqliteStatement Statement(SqliteConnection connection, Func<IReadOnlyList<string>, string> sql, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => "$v" + i).ToArray();
        return new SqliteStatement(connection, sql(names), names);
    }

    public override async ValueTask DisposeAsync()
    {
        _insert.Dispose();
        _decide.Dispose();
        _end.Dispose();
        await base.DisposeAsync();
    }
}
