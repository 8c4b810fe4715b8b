using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// One database transaction's worth of journal rows and call directory changes, written on one connection with
/// statements prepared once per connection: the rows in order, the calls' rows, then the closes (a call another
/// session already holds is left to it and fails nothing; the same session writing a call again moves its row).
/// </summary>
internal abstract class JournalBatch(DbConnection connection) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public static JournalBatch For(DbConnection connection, string journalTable, string callTable, string approvalTable,
        string writerUuid) => connection switch
    {
        SqliteConnection sqlite => new SqliteJournalBatch(sqlite, journalTable, callTable, approvalTable, writerUuid),
        NpgsqlConnection postgres => new PostgresJournalBatch(postgres, journalTable, callTable, approvalTable, writerUuid),
        _ => throw new NotSupportedException($"no journal batch for {connection.GetType().Name}"),
    };

    public async Task WriteAsync(IReadOnlyList<JournalRow> rows, IReadOnlyList<CallOpened> opens, IReadOnlyList<CallClosed> closes,
        ApprovalIndexChanges approvals, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginAsync(cancellationToken);
        await WriteAsync(transaction, rows, opens, closes, cancellationToken);
        if (!approvals.IsEmpty) await WriteAsync(transaction, approvals, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected virtual ValueTask<DbTransaction> BeginAsync(CancellationToken cancellationToken) => Connection.BeginTransactionAsync(cancellationToken);

    protected abstract Task WriteAsync(DbTransaction transaction, IReadOnlyList<JournalRow> rows, IReadOnlyList<CallOpened> opens,
        IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken);

    /// <summary>The approval index's rows, then their closes, then the grants written (a request's row is written once: the first one stays).</summary>
    protected abstract Task WriteAsync(DbTransaction transaction, ApprovalIndexChanges approvals, CancellationToken cancellationToken);

    protected const string ApprovalColumns = "approval_id, persistence_id, call_id, requested_seq, closed_seq, grant_due";

    protected static string Upsert(string callTable, string values) =>
        $"INSERT INTO {callTable} (call_id, persistence_id, first_seq, last_seq) {values} " +
        $"ON CONFLICT (call_id) DO UPDATE SET first_seq = excluded.first_seq, last_seq = excluded.last_seq " +
        $"WHERE {CallDirectoryStore.TableName}.persistence_id = excluded.persistence_id";

    protected const string JournalColumns = "deleted, persistence_id, sequence_number, created, tags, message, identifier, manifest, writer_uuid";

    public virtual ValueTask DisposeAsync() => Connection.DisposeAsync();
}
