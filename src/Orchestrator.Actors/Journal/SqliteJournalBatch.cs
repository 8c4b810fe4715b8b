using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>SQLite: one prepared statement per kind of row, executed per row inside the transaction (no SQL text per batch).</summary>
internal sealed class SqliteJournalBatch : JournalBatch
{
    private readonly SqliteCommand _insertRow;
    private readonly SqliteCommand _upsertCall;
    private readonly SqliteCommand _closeCall;

    public SqliteJournalBatch(SqliteConnection connection, string journalTable, string callTable, string writerUuid) : base(connection)
    {
        _insertRow = Command(connection, $"INSERT INTO {journalTable} ({JournalColumns}) VALUES (0, $p, $s, $c, $t, $m, $i, $f, $w)",
            "$p", "$s", "$c", "$t", "$m", "$i", "$f", "$w");
        _insertRow.Parameters["$w"].Value = writerUuid;
        _upsertCall = Command(connection, Upsert(callTable, "VALUES ($c, $p, $f, $l)"), "$c", "$p", "$f", "$l");
        _closeCall = Command(connection, $"UPDATE {callTable} SET last_seq = $l WHERE call_id = $c AND persistence_id = $p", "$c", "$p", "$l");
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
        await base.DisposeAsync();
    }
}
