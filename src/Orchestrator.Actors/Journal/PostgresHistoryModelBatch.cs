using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Actors.Journal;

/// <summary>PostgreSQL: the history read model's statements for a batch sent together in one round trip (prepared by Npgsql).</summary>
internal sealed class PostgresHistoryModelBatch(NpgsqlConnection connection, CallDirectoryStore store) : HistoryModelBatch(connection, store)
{
    private const NpgsqlDbType Text = NpgsqlDbType.Text, Long = NpgsqlDbType.Bigint, Bytes = NpgsqlDbType.Bytea;

    private static readonly NpgsqlDbType[] NewRowTypes =
    [
        Long, Text, Text, Long, Text, Text, Text, Text, Text, Long, Text, Text, Text, Text, Text, Long, Long, Long, Bytes,
    ];
    private static readonly NpgsqlDbType[] DecisionTypes = [Long, Text, Text, Text, Text, Text, Long, Long, Bytes];
    private static readonly NpgsqlDbType[] EndTypes = [Long, Text, Text, Long];

    private readonly string _insert = InsertSql(store, Positional(NewRowTypes.Length));
    private readonly string _decide = DecideSql(store, Positional(DecisionTypes.Length));
    private readonly string _end = EndSql(store, Positional(EndTypes.Length));

    protected override async Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                batch.BatchCommands.Add(Command(_insert, NewRow(change), NewRowTypes));
                continue;
            }
            if (change.DecisionChanged) batch.BatchCommands.Add(Command(_decide, Decision(change), DecisionTypes));
            if (change.Ended) batch.BatchCommands.Add(Command(_end, End(change), EndTypes));
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, object?[] values, NpgsqlDbType[] types)
    {
        var command = new NpgsqlBatchCommand(sql);
        for (var i = 0; i < values.Length; i++) command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = types[i], Value = values[i] ?? DBNull.Value });
        return command;
    }

    /// <summary>Positional parameters ($1, $2, …), as Npgsql's batch commands take them.</summary>
    private static string[] Positional(int count) => [.. Enumerable.Range(1, count).Select(i => "$" + i)];
}
