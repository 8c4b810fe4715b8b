using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// PostgreSQL: each kind of row in one statement over arrays (<c>unnest … WITH ORDINALITY</c>, so the journal's
/// <c>ordering</c> follows the rows' order), sent together in one round trip (the statements are prepared by Npgsql).
/// </summary>
internal sealed class PostgresJournalBatch(NpgsqlConnection connection, string journalTable, string callTable, string writerUuid) : JournalBatch(connection)
{
    private readonly string _insertRows =
        $"INSERT INTO {journalTable} ({JournalColumns}) SELECT false, p, s, c, t, m, i, f, @w " +
        "FROM unnest(@p, @s, @c, @t, @m, @i, @f) WITH ORDINALITY AS r(p, s, c, t, m, i, f, n) ORDER BY n";
    private readonly string _upsertCalls = Upsert(callTable, "SELECT * FROM unnest(@cc, @cp, @cf, @cl)");
    private readonly string _closeCalls =
        $"UPDATE {callTable} AS t SET last_seq = u.l FROM unnest(@xc, @xp, @xl) AS u(c, p, l) WHERE t.call_id = u.c AND t.persistence_id = u.p";

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
