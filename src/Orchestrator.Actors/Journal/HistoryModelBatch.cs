using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Core.History.Listing;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// One transaction of the history read model's follower on its own connection: the batch's new rows, the decisions
/// and ends of rows written before, the counts of decision records they moved and the model's high-water mark, committed together — so a batch lands whole or
/// not at all, and a follower restarted after a failure goes on from the mark without losing or doubling a row (a row
/// is keyed by its position; writing one again changes nothing).
/// </summary>
internal abstract class HistoryModelBatch(DbConnection connection, CallDirectoryStore store) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    protected CallDirectoryStore Store { get; } = store;

    public static HistoryModelBatch For(DbConnection connection, CallDirectoryStore store) => connection switch
    {
        SqliteConnection sqlite => new SqliteHistoryModelBatch(sqlite, store),
        NpgsqlConnection postgres => new PostgresHistoryModelBatch(postgres, store),
        _ => throw new NotSupportedException($"no history model batch for {connection.GetType().Name}"),
    };

    /// <summary>
    /// Writes <paramref name="changes"/>, the counts they moved and the mark (<paramref name="counts"/>, sealed);
    /// <paramref name="beforeCommit"/> runs last inside the transaction.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<HistoryRowChange> changes, SealedCounts counts, Func<Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var transaction = await BeginAsync(cancellationToken);
        await WriteAsync(transaction, changes, cancellationToken);
        await WriteCountsAsync(transaction, counts, cancellationToken);
        if (beforeCommit is not null) await beforeCommit();
        await transaction.CommitAsync(cancellationToken);
    }

    protected virtual ValueTask<DbTransaction> BeginAsync(CancellationToken cancellationToken) => Connection.BeginTransactionAsync(cancellationToken);

    protected abstract Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken);

    protected const string TallyUpsert = "INSERT INTO {0} (agent, day, decisions, seal) VALUES (@a, @d, @n, @s) " +
        "ON CONFLICT (agent, day) DO UPDATE SET decisions = excluded.decisions, seal = excluded.seal";

    protected const string MarkUpdate = "UPDATE {0} SET position = @p, decisions = @n, seal = @s WHERE id = 1";

    /// <summary>The batch's few counts and the mark: one statement each (a batch moves the counts of the agents and days it decided).</summary>
    protected virtual async Task WriteCountsAsync(DbTransaction transaction, SealedCounts counts, CancellationToken cancellationToken)
    {
        foreach (var (tally, seal) in counts.Tallies)
        {
            await using var upsert = Connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, TallyUpsert, Store.HistoryTallyTable);
            Parameter(upsert, "@a", tally.Agent);
            Parameter(upsert, "@d", tally.Day);
            Parameter(upsert, "@n", tally.Decisions);
            Parameter(upsert, "@s", seal!);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var mark = Connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, MarkUpdate, Store.HistoryMarkTable);
        Parameter(mark, "@p", counts.Mark.Position);
        Parameter(mark, "@n", counts.Mark.Decisions);
        Parameter(mark, "@s", counts.MarkSeal);
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The model's row of a call neither open nor started in the batch (one that ended), found through the call directory
    /// (the model has no index on call ids); null when the model has no row of it.
    /// </summary>
    public async Task<CallRow?> RowOfAsync(string call, string persistenceId, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT {CallRow.Columns} FROM {Store.Table} c JOIN {Store.JournalTable} j ON j.persistence_id = c.persistence_id " +
            $"AND j.sequence_number = c.first_seq JOIN {Store.HistoryTable} h ON h.position = j.ordering {CallRow.ReceivedJoin(Store.JournalTable)} " +
            "WHERE c.call_id = @c AND c.persistence_id = @p AND h.call_id = @c AND h.persistence_id = @p";
        Parameter(command, "@c", call);
        Parameter(command, "@p", persistenceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? CallRow.Read(reader) : null;
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    protected const int NewRowValues = 19, DecisionValues = 9, EndValues = 4;

    /// <summary>The <see cref="NewRowValues"/> values of a new row, in <see cref="CallDirectoryStore.HistoryColumns"/> order.</summary>
    protected static void NewRow(HistoryRowChange c, IRowValues v)
    {
        var s = c.Summary;
        v.Long(c.Position);
        v.Text(s.CallId);
        v.Text(c.PersistenceId);
        v.Long(c.ReceivedSequenceNr);
        v.Text(s.Session);
        v.Text(s.Agent);
        v.Text(s.Workspace);
        v.Text(s.Tool);
        v.Text(s.Subject);
        v.Long(s.ReceivedAt.UtcTicks);
        Ruling(s, v);
        v.Text(s.Outcome?.ToString());
        v.Long(s.EndedAt?.UtcTicks);
        v.Long(c.FirstDecidedSequenceNr);
        v.Long(c.FirstDecidedPosition);
        v.Bytes(c.DecisionRecord);
    }

    /// <summary>A decision's <see cref="DecisionValues"/> values: the listing's columns, then the first decision's place and record (kept only where the row has none).</summary>
    protected static void Decision(HistoryRowChange c, IRowValues v)
    {
        v.Long(c.Position);
        v.Text(c.Summary.CallId);
        Ruling(c.Summary, v);
        v.Long(c.FirstDecidedSequenceNr);
        v.Long(c.FirstDecidedPosition);
        v.Bytes(c.DecisionRecord);
    }

    /// <summary>An end's <see cref="EndValues"/> values.</summary>
    protected static void End(HistoryRowChange c, IRowValues v)
    {
        v.Long(c.Position);
        v.Text(c.Summary.CallId);
        v.Text(c.Summary.Outcome?.ToString());
        v.Long(c.Summary.EndedAt?.UtcTicks);
    }

    private static void Ruling(CallSummary s, IRowValues v)
    {
        v.Text(s.Decision?.ToString());
        v.Text(s.Reason);
        v.Text(s.Rule);
        v.Text(s.Layer?.ToString());
    }

    protected static string InsertSql(CallDirectoryStore store, IReadOnlyList<string> names) =>
        $"INSERT INTO {store.HistoryTable} ({CallDirectoryStore.HistoryColumns}) VALUES ({string.Join(", ", names)}) ON CONFLICT (position) DO NOTHING";

    protected static string DecideSql(CallDirectoryStore store, IReadOnlyList<string> n) =>
        $"UPDATE {store.HistoryTable} SET decision = {n[2]}, reason = {n[3]}, rule = {n[4]}, layer = {n[5]}, " +
        $"decision_record = CASE WHEN decided_seq IS NULL THEN {n[8]} ELSE decision_record END, " +
        $"decided_seq = COALESCE(decided_seq, {n[6]}), decided_pos = COALESCE(decided_pos, {n[7]}) WHERE position = {n[0]} AND call_id = {n[1]}";

    protected static string EndSql(CallDirectoryStore store, IReadOnlyList<string> n) =>
        $"UPDATE {store.HistoryTable} SET outcome = {n[2]}, ended_at = {n[3]} WHERE position = {n[0]} AND call_id = {n[1]}";

    public virtual ValueTask DisposeAsync() => Connection.DisposeAsync();
}
