using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Orchestrator.Actors.Journal;

/// <summary>PostgreSQL: the history read model's rows, one statement per kind of change over arrays.</summary>
internal sealed partial class PostgresJournalBatch
{
    private static string InsertHistory(string journalTable, string historyTable) =>
        $"INSERT INTO {historyTable} ({CallDirectoryStore.HistoryColumns}) SELECT u.c, u.p, {PositionOf(journalTable, "u.p", "u.s")}, u.s, u.se, u.a, " +
        $"u.w, u.t, u.su, u.r, u.d, u.re, u.ru, u.l, u.o, u.e, u.ds, {PositionOf(journalTable, "u.p", "u.ds")} " +
        "FROM unnest(@hc, @hp, @hs, @hse, @ha, @hw, @ht, @hsu, @hr, @hd, @hre, @hru, @hl, @ho, @he, @hds) " +
        "AS u(c, p, s, se, a, w, t, su, r, d, re, ru, l, o, e, ds) ON CONFLICT (call_id) DO NOTHING";

    private static string DecideHistory(string journalTable, string historyTable) =>
        $"UPDATE {historyTable} AS t SET decision = u.d, reason = u.re, rule = u.ru, layer = u.l, decided_seq = COALESCE(t.decided_seq, u.ds), " +
        $"decided_pos = COALESCE(t.decided_pos, {PositionOf(journalTable, "u.p", "u.ds")}) " +
        "FROM unnest(@kc, @kp, @kd, @kre, @kru, @kl, @kds) AS u(c, p, d, re, ru, l, ds) WHERE t.call_id = u.c AND t.persistence_id = u.p";

    private static string EndHistory(string historyTable) =>
        $"UPDATE {historyTable} AS t SET outcome = u.o, ended_at = u.e FROM unnest(@ec, @ep, @eo, @ee) AS u(c, p, o, e) " +
        "WHERE t.call_id = u.c AND t.persistence_id = u.p";

    protected override async Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> history, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)Connection, (NpgsqlTransaction)transaction);
        // One statement may not touch a row twice: the first row of a call id is the one written.
        var started = history.Where(c => c.Started).DistinctBy(c => c.Summary.CallId).ToArray();
        if (started.Length > 0)
        {
            var insert = new NpgsqlBatchCommand(_insertHistory);
            var p = insert.Parameters;
            p.Add(Array("hc", NpgsqlDbType.Text, started.Select(c => c.Summary.CallId)));
            p.Add(Array("hp", NpgsqlDbType.Text, started.Select(c => c.PersistenceId)));
            p.Add(Array("hs", NpgsqlDbType.Bigint, started.Select(c => c.SequenceNr)));
            p.Add(Array("hse", NpgsqlDbType.Text, started.Select(c => c.Summary.Session)));
            p.Add(Array("ha", NpgsqlDbType.Text, started.Select(c => c.Summary.Agent)));
            p.Add(Array("hw", NpgsqlDbType.Text, started.Select(c => c.Summary.Workspace)));
            p.Add(Array("ht", NpgsqlDbType.Text, started.Select(c => c.Summary.Tool)));
            p.Add(Array("hsu", NpgsqlDbType.Text, started.Select(c => c.Summary.Subject)));
            p.Add(Array("hr", NpgsqlDbType.Bigint, started.Select(c => c.Summary.ReceivedAt.UtcTicks)));
            p.Add(Array("hd", NpgsqlDbType.Text, started.Select(c => c.Summary.Decision?.ToString())));
            p.Add(Array("hre", NpgsqlDbType.Text, started.Select(c => c.Summary.Reason)));
            p.Add(Array("hru", NpgsqlDbType.Text, started.Select(c => c.Summary.Rule)));
            p.Add(Array("hl", NpgsqlDbType.Text, started.Select(c => c.Summary.Layer?.ToString())));
            p.Add(Array("ho", NpgsqlDbType.Text, started.Select(c => c.Summary.Outcome?.ToString())));
            p.Add(Array("he", NpgsqlDbType.Bigint, started.Select(c => c.Summary.EndedAt?.UtcTicks)));
            p.Add(Array("hds", NpgsqlDbType.Bigint, started.Select(c => c.FirstDecidedSequenceNr)));
            batch.BatchCommands.Add(insert);
        }
        var decided = history.Where(c => !c.Started && c.Summary.Decision is not null).ToArray();
        if (decided.Length > 0)
        {
            var decide = new NpgsqlBatchCommand(_decideHistory);
            var p = decide.Parameters;
            p.Add(Array("kc", NpgsqlDbType.Text, decided.Select(c => c.Summary.CallId)));
            p.Add(Array("kp", NpgsqlDbType.Text, decided.Select(c => c.PersistenceId)));
            p.Add(Array("kd", NpgsqlDbType.Text, decided.Select(c => c.Summary.Decision?.ToString())));
            p.Add(Array("kre", NpgsqlDbType.Text, decided.Select(c => c.Summary.Reason)));
            p.Add(Array("kru", NpgsqlDbType.Text, decided.Select(c => c.Summary.Rule)));
            p.Add(Array("kl", NpgsqlDbType.Text, decided.Select(c => c.Summary.Layer?.ToString())));
            p.Add(Array("kds", NpgsqlDbType.Bigint, decided.Select(c => c.FirstDecidedSequenceNr)));
            batch.BatchCommands.Add(decide);
        }
        var ended = history.Where(c => !c.Started && c.Summary.Outcome is not null).ToArray();
        if (ended.Length > 0)
        {
            var end = new NpgsqlBatchCommand(_endHistory);
            end.Parameters.Add(Array("ec", NpgsqlDbType.Text, ended.Select(c => c.Summary.CallId)));
            end.Parameters.Add(Array("ep", NpgsqlDbType.Text, ended.Select(c => c.PersistenceId)));
            end.Parameters.Add(Array("eo", NpgsqlDbType.Text, ended.Select(c => c.Summary.Outcome?.ToString())));
            end.Parameters.Add(Array("ee", NpgsqlDbType.Bigint, ended.Select(c => c.Summary.EndedAt?.UtcTicks)));
            batch.BatchCommands.Add(end);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
