using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>SQLite: the history read model's statements prepared once on the follower's connection, executed per row.</summary>
internal sealed class SqliteHistoryModelBatch : HistoryModelBatch
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _decide;
    private readonly SqliteCommand _end;

    public SqliteHistoryModelBatch(SqliteConnection connection, CallDirectoryStore store) : base(connection, store)
    {
        _insert = Command(connection, n => InsertSql(store, n), 19);
        _decide = Command(connection, n => DecideSql(store, n), 9);
        _end = Command(connection, n => EndSql(store, n), 4);
    }

    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite's async methods run synchronously: the synchronous calls say what happens.
        _insert.Transaction = _decide.Transaction = _end.Transaction = (SqliteTransaction)transaction;
        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                Run(_insert, NewRow(change));
                continue;
            }
            if (change.DecisionChanged) Run(_decide, Decision(change));
            if (change.Ended) Run(_end, End(change));
        }
        return Task.CompletedTask;
    }

    private static void Run(SqliteCommand command, object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, Func<IReadOnlyList<string>, string> sql, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => "$v" + i).ToArray();
        var command = connection.CreateCommand();
        command.CommandText = sql(names);
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _decide.DisposeAsync();
        await _end.DisposeAsync();
        await base.DisposeAsync();
    }
}
