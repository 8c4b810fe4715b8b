using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Actors.Journal;

/// <summary>PostgreSQL: the history read model's statements for a batch sent together in one round trip (prepared by Npgsql).</summary>
internal sealed class PostgresHistoryModelBatch(NpgsqlConnection connection, CallDirectoryStore store) : HistoryModelBatch(connection, store)
{
    private readonly string _insert = InsertSql(store, Positional(NewRowValues));
    private readonly string _decide = DecideSql(store, Positional(DecisionValues));
    private readonly string _end = EndSql(store, Positional(EndValues));

    protected override async Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                batch.BatchCommands.Add(Command(_insert, change, NewRow));
                continue;
            }
            if (change.DecisionChanged) batch.BatchCommands.Add(Command(_decide, change, Decision));
            if (change.Ended) batch.BatchCommands.Add(Command(_end, change, End));
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, HistoryRowChange change, Action<HistoryRowChange, IRowValues> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        values(change, new Values(command));
        return command;
    }

    /// <summary>Positional parameters ($1, $2, …), as Npgsql's batch commands take them.</summary>
    private static string[] Positional(int count) => [.. Enumerable.Range(1, count).Select(i => "$" + i)];

    private sealed class Values(NpgsqlBatchCommand command) : IRowValues
    {
        public void Text(string? value) => Add(NpgsqlDbType.Text, value);

        public void Long(long? value) => Add(NpgsqlDbType.Bigint, value);

        public void Bytes(byte[]? value) => Add(NpgsqlDbType.Bytea, value);

        private void Add(NpgsqlDbType type, object? value) =>
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
    }
}
