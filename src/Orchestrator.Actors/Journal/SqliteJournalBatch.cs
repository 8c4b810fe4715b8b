using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// SQLite: one statement per kind of row, prepared once and bound through SQLite's own API (<see cref="SqliteStatement"/>),
/// executed per row inside the transaction (no SQL text per batch, no parameter objects per row).
/// </summary>
internal sealed class SqliteJournalBatch : JournalBatch
{
    private readonly SqliteStatements _statements;
    private readonly SqliteStatement _insertRow;
    private readonly SqliteStatement _upsertCall;
    private readonly SqliteStatement _closeCall;
    private readonly SqliteStatement _openApproval;
    private readonly SqliteStatement _closeApproval;
    private readonly SqliteStatement _grantWritten;

    public SqliteJournalBatch(SqliteConnection connection, string journalTable, string callTable, string approvalTable,
        string writerUuid) : base(connection)
    {
        SqliteWriterConnection.Configure(connection);
        _statements = new SqliteStatements(connection);
        (_insertRow, _upsertCall, _closeCall, _openApproval, _closeApproval, _grantWritten) = _statements.Prepare(p =>
        {
            var insertRow = p.Statement($"INSERT INTO {journalTable} ({JournalColumns}) VALUES (0, $p, $s, $c, $t, $m, $i, $f, $w)",
                "$p", "$s", "$c", "$t", "$m", "$i", "$f", "$w");
            insertRow.Bind(7, writerUuid); // bindings stay until rebound: the writer's uuid is the same on every row
            return (insertRow,
                p.Statement(Upsert(callTable, "VALUES ($c, $p, $f, $l)"), "$c", "$p", "$f", "$l"),
                p.Statement($"UPDATE {callTable} SET last_seq = $l WHERE call_id = $c AND persistence_id = $p", "$c", "$p", "$l"),
                p.Statement($"INSERT INTO {approvalTable} ({ApprovalColumns}) VALUES ($a, $p, $c, $r, $x, $g) ON CONFLICT (approval_id) DO NOTHING",
                    "$a", "$p", "$c", "$r", "$x", "$g"),
                p.Statement($"UPDATE {approvalTable} SET closed_seq = $x, grant_due = $g WHERE approval_id = $a AND persistence_id = $p",
                    "$a", "$p", "$x", "$g"),
                p.Statement($"UPDATE {approvalTable} SET grant_due = 0 WHERE approval_id = $a", "$a"));
        });
    }

    protected override ValueTask<DbTransaction> BeginAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(SqliteWriteTransaction.Begin((SqliteConnection)Connection, CallDirectoryStore.SqliteBusyTimeout));

    // The statements run in the transaction the connection has open; Microsoft.Data.Sqlite's async methods ran
    // synchronously too.
    protected override Task WriteAsync(DbTransaction transaction, ApprovalIndexChanges approvals, CancellationToken cancellationToken)
    {
        foreach (var open in approvals.Opens)
        {
            _openApproval.Bind(0, open.Approval.Value);
            _openApproval.Bind(1, open.PersistenceId);
            _openApproval.Bind(2, open.Call.Value);
            _openApproval.Bind(3, open.RequestedSequenceNr);
            _openApproval.Bind(4, open.ClosedSequenceNr);
            _openApproval.Bind(5, open.GrantDue ? 1 : 0);
            _openApproval.Execute();
        }
        foreach (var close in approvals.Closes)
        {
            _closeApproval.Bind(0, close.Approval.Value);
            _closeApproval.Bind(1, close.PersistenceId);
            _closeApproval.Bind(2, close.ClosedSequenceNr);
            _closeApproval.Bind(3, close.GrantDue ? 1 : 0);
            _closeApproval.Execute();
        }
        foreach (var approval in approvals.GrantsWritten)
        {
            _grantWritten.Bind(0, approval.Value);
            _grantWritten.Execute();
        }
        return Task.CompletedTask;
    }

    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<JournalRow> rows, IReadOnlyList<CallOpened> opens,
        IReadOnlyList<CallClosed> closes, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            _insertRow.Bind(0, row.PersistenceId);
            _insertRow.Bind(1, row.SequenceNr);
            _insertRow.Bind(2, row.Created);
            _insertRow.Bind(3, row.Tags);
            _insertRow.Bind(4, row.Message);
            _insertRow.Bind(5, row.Identifier);
            _insertRow.Bind(6, row.Manifest);
            _insertRow.Execute();
        }
        foreach (var open in opens)
        {
            _upsertCall.Bind(0, open.Call.Value);
            _upsertCall.Bind(1, open.PersistenceId);
            _upsertCall.Bind(2, open.FirstSequenceNr);
            _upsertCall.Bind(3, open.LastSequenceNr);
            _upsertCall.Execute();
        }
        foreach (var close in closes)
        {
            _closeCall.Bind(0, close.Call.Value);
            _closeCall.Bind(1, close.PersistenceId);
            _closeCall.Bind(2, close.LastSequenceNr);
            _closeCall.Execute();
        }
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        _statements.Dispose();
        await base.DisposeAsync();
    }
}
