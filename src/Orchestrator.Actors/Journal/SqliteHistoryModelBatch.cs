using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// SQLite: the history read model's statements prepared once on the follower's connection and bound through SQLite's own
/// API (<see cref="SqliteStatement"/>), executed per row inside a transaction that waits for the write lock as the
/// journal's writer does (<see cref="SqliteWriteTransaction"/>): the writer polls for the lock every millisecond, and a
/// follower left to SQLite's busy handler (sleeps of up to 100 ms) would seldom find it free under sustained load.
/// </summary>
internal sealed class SqliteHistoryModelBatch : HistoryModelBatch
{
    private readonly SqliteStatements _statements;
    private readonly SqliteRowValues _insert;
    private readonly SqliteRowValues _decide;
    private readonly SqliteRowValues _end;
    private readonly SqliteStatement _tally;
    private readonly SqliteStatement _mark;

    public SqliteHistoryModelBatch(SqliteConnection connection, CallDirectoryStore store) : base(connection, store)
    {
        SqliteWriterConnection.Configure(connection);
        _statements = new SqliteStatements(connection);
        (_insert, _decide, _end, _tally, _mark) = _statements.Prepare(p => (
            Values(p, n => InsertSql(store, n), NewRowValues),
            Values(p, n => DecideSql(store, n), DecisionValues),
            Values(p, n => EndSql(store, n), EndValues),
            p.Statement(string.Format(CultureInfo.InvariantCulture, TallyUpsert, store.HistoryTallyTable), "@a", "@d", "@n", "@s"),
            p.Statement(string.Format(CultureInfo.InvariantCulture, MarkUpdate, store.HistoryMarkTable), "@p", "@n", "@s")));
    }

    protected override ValueTask<DbTransaction> BeginAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(SqliteWriteTransaction.Begin((SqliteConnection)Connection, CallDirectoryStore.SqliteBusyTimeout));

    protected override Task WriteCountsAsync(DbTransaction transaction, SealedCounts counts, CancellationToken cancellationToken)
    {
        foreach (var (tally, seal) in counts.Tallies)
        {
            _tally.Bind(0, tally.Agent);
            _tally.Bind(1, tally.Day);
            _tally.Bind(2, tally.Decisions);
            _tally.Bind(3, seal!);
            _tally.Execute();
        }
        _mark.Bind(0, counts.Mark.Position);
        _mark.Bind(1, counts.Mark.Decisions);
        _mark.Bind(2, counts.MarkSeal);
        _mark.Execute();
        return Task.CompletedTask;
    }

    // The statements run in the transaction the connection has open; Microsoft.Data.Sqlite's async methods ran
    // synchronously too.
    protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            if (change.IsNew)
            {
                NewRow(change, _insert.Start());
                _insert.Execute();
                continue;
            }
            if (change.DecisionChanged)
            {
                Decision(change, _decide.Start());
                _decide.Execute();
            }
            if (change.Ended)
            {
                End(change, _end.Start());
                _end.Execute();
            }
        }
        return Task.CompletedTask;
    }

    private static SqliteRowValues Values(SqliteStatements statements, Func<IReadOnlyList<string>, string> sql, int count)
    {
        var names = Enumerable.Range(0, count).Select(i => "$v" + i).ToArray();
        return new SqliteRowValues(statements.Statement(sql(names), names));
    }

    public override async ValueTask DisposeAsync()
    {
        _statements.Dispose();
        await base.DisposeAsync();
    }
}
