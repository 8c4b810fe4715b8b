using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>SQLite: one prepared statement per kind of row, executed per row inside the transaction (no SQL text per batch).</summary>
internal sealed class SqliteJournalBatch : JournalBatch
{
    private readonly SqliteCommand _insertRow;
    private readonly SqliteCommand _upsertCall;
    private readonly SqliteCommand _closeCall;
    private readonly SqliteCommand _openApproval;
    private readonly SqliteCommand _closeApproval;
    private readonly SqliteCommand _grantWritten;

    public SqliteJournalBatch(SqliteConnection connection, string journalTable, string callTable, string approvalTable,
        string writerUuid) : base(connection)
    {
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterFallbackPages};";
            pragma.ExecuteNonQuery();
        }
        _insertRow = Command(connection, $"INSERT INTO {journalTable} ({JournalColumns}) VALUES (0, $p, $s, $c, $t, $m, $i, $f, $w)",
            "$p", "$s", "$c", "$t", "$m", "$i", "$f", "$w");
        _insertRow.Parameters["$w"].Value = writerUuid;
        _upsertCall = Command(connection, Upsert(callTable, "VALUES ($c, $p, $f, $l)"), "$c", "$p", "$f", "$l");
        _closeCall = Command(connection, $"UPDATE {callTable} SET last_seq = $l WHERE call_id = $c AND persistence_id = $p", "$c", "$p", "$l");
        _openApproval = Command(connection, $"INSERT INTO {approvalTable} ({ApprovalColumns}) VALUES ($a, $p, $c, $r, $x, $g) ON CONFLICT (approval_id) DO NOTHING",
            "$a", "$p", "$c", "$r", "$x", "$g");
        _closeApproval = Command(connection,
            $"UPDATE {approvalTable} SET closed_seq = $x, grant_due = $g WHERE approval_id = $a AND persistence_id = $p", "$a", "$p", "$x", "$g");
        _grantWritten = Command(connection, $"UPDATE {approvalTable} SET grant_due = 0 WHERE approval_id = $a", "$a");
    }

    protected override Task WriteAsync(DbTransaction transaction, ApprovalIndexChanges approvals, CancellationToken cancellationToken)
    {
        var o = _openApproval.Parameters;
        _openApproval.Transaction = (SqliteTransaction)transaction;
        foreach (var open in approvals.Opens)
        {
            o[0].Value = open.Approval.Value;
            o[1].Value = open.PersistenceId;
            o[2].Value = open.Call.Value;
            o[3].Value = open.RequestedSequenceNr;
            o[4].Value = (object?)open.ClosedSequenceNr ?? DBNull.Value;
            o[5].Value = open.GrantDue ? 1 : 0;
            _openApproval.ExecuteNonQuery();
        }
        var c = _closeApproval.Parameters;
        _closeApproval.Transaction = (SqliteTransaction)transaction;
        foreach (var close in approvals.Closes)
        {
            c[0].Value = close.Approval.Value;
            c[1].Value = close.PersistenceId;
            c[2].Value = close.ClosedSequenceNr;
            c[3].Value = close.GrantDue ? 1 : 0;
            _closeApproval.ExecuteNonQuery();
        }
        _grantWritten.Transaction = (SqliteTransaction)transaction;
        foreach (var approval in approvals.GrantsWritten)
        {
            _grantWritten.Parameters[0].Value = approval.Value;
            _grantWritten.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<JournalRow> rows, IReadOnlyList<CallOpened> opens,
        IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite's async methods run synchronously: the synchronous calls say what happens.
        var p = _insertRow.Parameters;
        _insertRow.Transaction = (SqliteTransaction)transaction;
        foreach (var row in rows)
        {
            p[0].Value = row.PersistenceId;
            p[1].Value = row.SequenceNr;
            p[2].Value = row.Created;
            p[3].Value = row.Tags;
            p[4].Value = row.Message;
            p[5].Value = row.Identifier;
            p[6].Value = row.Manifest;
            _insertRow.ExecuteNonQuery();
        }
        var u = _upsertCall.Parameters;
        _upsertCall.Transaction = (SqliteTransaction)transaction;
        foreach (var open in opens)
        {
            u[0].Value = open.Call.Value;
            u[1].Value = open.PersistenceId;
            u[2].Value = open.FirstSequenceNr;
            u[3].Value = (object?)open.LastSequenceNr ?? DBNull.Value;
            _upsertCall.ExecuteNonQuery();
        }
        var c = _closeCall.Parameters;
        _closeCall.Transaction = (SqliteTransaction)transaction;
        foreach (var close in closes)
        {
            c[0].Value = close.Call.Value;
            c[1].Value = close.PersistenceId;
            c[2].Value = close.LastSequenceNr;
            _closeCall.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    public override async ValueTask DisposeAsync()
    {
        await _insertRow.DisposeAsync();
        await _upsertCall.DisposeAsync();
        await _closeCall.DisposeAsync();
        await _openApproval.DisposeAsync();
        await _closeApproval.DisposeAsync();
        await _grantWritten.DisposeAsync();
        await base.DisposeAsync();
    }
}
