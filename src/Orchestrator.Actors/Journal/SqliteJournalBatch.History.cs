using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>SQLite: the history read model's rows, one prepared statement per kind of change.</summary>
internal sealed partial class SqliteJournalBatch
{
    private readonly SqliteCommand _insertHistory;
    private readonly SqliteCommand _decideHistory;
    private readonly SqliteCommand _endHistory;

    private static (SqliteCommand Insert, SqliteCommand Decide, SqliteCommand End) HistoryCommands(SqliteConnection connection, string journalTable, string historyTable) => (
        Command(connection,
            $"INSERT INTO {historyTable} ({CallDirectoryStore.HistoryColumns}) VALUES ($c, $p, {PositionOf(journalTable, "$p", "$s")}, $s, $se, $a, $w, $t, " +
            $"$su, $r, $d, $re, $ru, $l, $o, $e, $ds, {PositionOf(journalTable, "$p", "$ds")}) ON CONFLICT (call_id) DO NOTHING",
            "$c", "$p", "$s", "$se", "$a", "$w", "$t", "$su", "$r", "$d", "$re", "$ru", "$l", "$o", "$e", "$ds"),
        Command(connection,
            $"UPDATE {historyTable} SET decision = $d, reason = $re, rule = $ru, layer = $l, decided_seq = COALESCE(decided_seq, $ds), " +
            $"decided_pos = COALESCE(decided_pos, {PositionOf(journalTable, "$p", "$ds")}) WHERE call_id = $c AND persistence_id = $p",
            "$c", "$p", "$d", "$re", "$ru", "$l", "$ds"),
        Command(connection, $"UPDATE {historyTable} SET outcome = $o, ended_at = $e WHERE call_id = $c AND persistence_id = $p", "$c", "$p", "$o", "$e"));

    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> history, CancellationToken cancellationToken)
    {
        _insertHistory.Transaction = _decideHistory.Transaction = _endHistory.Transaction = (SqliteTransaction)transaction;
        foreach (var change in history)
        {
            var s = change.Summary;
            if (change.Started)
            {
                Set(_insertHistory, s.CallId, change.PersistenceId, change.SequenceNr, s.Session, s.Agent, s.Workspace, s.Tool, s.Subject,
                    s.ReceivedAt.UtcTicks, s.Decision?.ToString(), s.Reason, s.Rule, s.Layer?.ToString(), s.Outcome?.ToString(), s.EndedAt?.UtcTicks,
                    change.FirstDecidedSequenceNr);
                _insertHistory.ExecuteNonQuery();
                continue;
            }
            if (s.Decision is not null)
            {
                Set(_decideHistory, s.CallId, change.PersistenceId, s.Decision.ToString(), s.Reason, s.Rule, s.Layer?.ToString(), change.FirstDecidedSequenceNr);
                _decideHistory.ExecuteNonQuery();
            }
            if (s.Outcome is not null)
            {
                Set(_endHistory, s.CallId, change.PersistenceId, s.Outcome.ToString(), s.EndedAt?.UtcTicks);
                _endHistory.ExecuteNonQuery();
            }
        }
        return Task.CompletedTask;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
