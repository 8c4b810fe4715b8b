using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The history read model's counts (<c>orchestrator_history_tally</c>): per agent and day of receipt, how many decision
/// records the model holds, each sealed (<see cref="HistoryTallySeal"/>), their total sealed with the mark — so a read of
/// the model tells rows deleted from it (<see cref="DecisionCountCheck"/>).
/// </summary>
public sealed partial class CallDirectoryStore
{
    public const string HistoryTallyTableName = "orchestrator_history_tally";

    /// <summary>The model's counts as SQL text (schema-qualified where needed).</summary>
    public string HistoryTallyTable { get; }

    private string HistoryTallyTableDefinition() =>
        $"CREATE TABLE {HistoryTallyTable} (agent TEXT NOT NULL, day BIGINT NOT NULL, decisions BIGINT NOT NULL, seal {Bytes} NOT NULL, " +
        "PRIMARY KEY (agent, day))";

    /// <summary>The model's mark and every count as stored, read on <paramref name="connection"/> (in <paramref name="transaction"/> when given).</summary>
    internal async Task<HistorySeals> HistorySealsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var mark = default(HistoryMark);
        byte[]? markSeal = null;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT position, decisions, seal FROM {HistoryMarkTable} WHERE id = 1";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                (mark, markSeal) = (new HistoryMark(reader.GetInt64(0), reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetValue(2) as byte[]);
        }
        var tallies = new List<SealedTally>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT agent, day, decisions, seal FROM {HistoryTallyTable}";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                tallies.Add(new SealedTally(new HistoryTally(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetValue(3) as byte[]));
        }
        return new HistorySeals(mark, markSeal, tallies);
    }

    /// <summary>The model's mark and counts as stored, on a connection of their own.</summary>
    internal async Task<HistorySeals> HistorySealsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var snapshot = await BeginSnapshotAsync(connection, cancellationToken);
        return await HistorySealsAsync(connection, snapshot, cancellationToken);
    }

    /// <summary>A read-only transaction whose reads all see one committed state (SQLite: deferred, so a read snapshot; PostgreSQL: repeatable read).</summary>
    private static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
}
