using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// PostgreSQL: each kind of row in one statement over arrays (<c>unnest … WITH ORDINALITY</c>, so the journal's
/// <c>ordering</c> follows the rows' order), sent together in one round trip (the statements are prepared by Npgsql).
/// </summary>
internal sealed class PostgresJournalBatch(NpgsqlConnection connection, string journalTable, string callTable, string approvalTable,
    string writerUuid)
    : JournalBatch(connection)
{
    private readonly string _insertRows =
        $"INSERT INTO {journalTable} ({JournalColumns}) SELECT false, p, s, c, t, m, i, f, @w " +
        "FROM unnest(@p, @s, @c, @t, @m, @i, @f) WITH ORDINALITY AS r(p, s, c, t, m, i, f, n) ORDER BY n";
    private readonly string _upsertCalls = Upsert(callTable, "SELECT * FROM unnest(@cc, @cp, @cf, @cl)");
    private readonly string _closeCalls =
        $"UPDATE {callTable} AS t SET last_seq = u.l FROM unnest(@xc, @xp, @xl) AS u(c, p, l) WHERE t.call_id = u.c AND t.persistence_id = u.p";

    private readonly string _openApprovals =
        $"INSERT INTO {approvalTable} ({ApprovalColumns}) SELECT * FROM unnest(@aa, @ap, @ac, @ar, @ax, @ag) ON CONFLICT (approval_id) DO NOTHING";
    private readonly string _closeApprovals =
        $"UPDATE {approvalTable} AS t SET closed_seq = u.x, grant_due = u.g FROM unnest(@ya, @yp, @yx, @yg) AS u(a, p, x, g) " +
        "WHERE t.approval_id = u.a AND t.persistence_id = u.p";
    private readonly string _grantsWritten = $"UPDATE {approvalTable} SET grant_due = 0 WHERE approval_id = ANY(@ga)";

    protected override async Task WriteAsync(DbTransaction transaction, ApprovalIndexChanges approvals, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        if (approvals.Opens.Length > 0)
        {
            var opens = approvals.Opens.DistinctBy(o => o.Approval).ToArray();
            var insert = new NpgsqlBatchCommand(_openApprovals);
            insert.Parameters.Add(Array("aa", NpgsqlDbType.Text, opens.Select(o => o.Approval.Value)));
            insert.Parameters.Add(Array("ap", NpgsqlDbType.Text, opens.Select(o => o.PersistenceId)));
            insert.Parameters.Add(Array("ac", NpgsqlDbType.Text, opens.Select(o => o.Call.Value)));
            insert.Parameters.Add(Array("ar", NpgsqlDbType.Bigint, opens.Select(o => o.RequestedSequenceNr)));
            insert.Parameters.Add(Array("ax", NpgsqlDbType.Bigint, opens.Select(o => o.ClosedSequenceNr)));
            insert.Parameters.Add(Array("ag", NpgsqlDbType.Integer, opens.Select(o => o.GrantDue ? 1 : 0)));
            batch.BatchCommands.Add(insert);
        }
        if (approvals.Closes.Length > 0)
        {
            // One statement may not touch a row twice: an approval is closed once (its answer or its timeout).
            var closes = approvals.Closes.DistinctBy(c => c.Approval).ToArray();
            var close = new NpgsqlBatchCommand(_closeApprovals);
            close.Parameters.Add(Array("ya", NpgsqlDbType.Text, closes.Select(c => c.Approval.Value)));
            close.Parameters.Add(Array("yp", NpgsqlDbType.Text, closes.Select(c => c.PersistenceId)));
            close.Parameters.Add(Array("yx", NpgsqlDbType.Bigint, closes.Select(c => c.ClosedSequenceNr)));
            close.Parameters.Add(Array("yg", NpgsqlDbType.Integer, closes.Select(c => c.GrantDue ? 1 : 0)));
            batch.BatchCommands.Add(close);
        }
        if (approvals.GrantsWritten.Length > 0)
        {
            var grants = new NpgsqlBatchCommand(_grantsWritten);
            grants.Parameters.Add(Array("ga", NpgsqlDbType.Text, approvals.GrantsWritten.Select(a => a.Value)));
            batch.BatchCommands.Add(grants);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task WriteAsync(DbTransaction transaction, IReadOnlyList<JournalRow> rows, IReadOnlyList<CallOpened> opens,
        IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)transaction);
        if (rows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(_insertRows);
            insert.Parameters.Add(Array("p", NpgsqlDbType.Varchar, rows.Select(r => r.PersistenceId)));
            insert.Parameters.Add(Array("s", NpgsqlDbType.Bigint, rows.Select(r => r.SequenceNr)));
            insert.Parameters.Add(Array("c", NpgsqlDbType.Bigint, rows.Select(r => r.Created)));
            insert.Parameters.Add(Array("t", NpgsqlDbType.Varchar, rows.Select(r => r.Tags)));
            insert.Parameters.Add(Array("m", NpgsqlDbType.Bytea, rows.Select(r => r.Message)));
            insert.Parameters.Add(Array("i", NpgsqlDbType.Integer, rows.Select(r => r.Identifier)));
            insert.Parameters.Add(Array("f", NpgsqlDbType.Varchar, rows.Select(r => r.Manifest)));
            insert.Parameters.Add(new NpgsqlParameter("w", NpgsqlDbType.Varchar) { Value = writerUuid });
            batch.BatchCommands.Add(insert);
        }
        if (opens.Count > 0)
        {
            // One statement may not touch a row twice: the first of a call id in this batch is the one written.
            var distinct = opens.DistinctBy(o => o.Call).ToArray();
            var upsert = new NpgsqlBatchCommand(_upsertCalls);
            upsert.Parameters.Add(Array("cc", NpgsqlDbType.Text, distinct.Select(o => o.Call.Value)));
            upsert.Parameters.Add(Array("cp", NpgsqlDbType.Text, distinct.Select(o => o.PersistenceId)));
            upsert.Parameters.Add(Array("cf", NpgsqlDbType.Bigint, distinct.Select(o => o.FirstSequenceNr)));
            upsert.Parameters.Add(Array("cl", NpgsqlDbType.Bigint, distinct.Select(o => o.LastSequenceNr)));
            batch.BatchCommands.Add(upsert);
        }
        if (closes.Count > 0)
        {
            var close = new NpgsqlBatchCommand(_closeCalls);
            close.Parameters.Add(Array("xc", NpgsqlDbType.Text, closes.Select(o => o.Call.Value)));
            close.Parameters.Add(Array("xp", NpgsqlDbType.Text, closes.Select(o => o.PersistenceId)));
            close.Parameters.Add(Array("xl", NpgsqlDbType.Bigint, closes.Select(o => o.LastSequenceNr)));
            batch.BatchCommands.Add(close);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
