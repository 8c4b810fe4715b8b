using System.Data.Common;
using CsCheck;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The SQLite history model batch binds through SQLite's own API (<see cref="SqliteStatement"/>): whatever the rows,
/// the model it writes is value for value and storage type for storage type what Microsoft.Data.Sqlite's parameters
/// wrote (the batch as it was, kept here as the reference) — nulls, empty texts and blobs, any text or number.
/// </summary>
public sealed class SqliteHistoryModelBatchSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orchestrator-specs", Guid.NewGuid().ToString("N"));

    public SqliteHistoryModelBatchSpecs() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static Gen<T?> OrNull<T>(Gen<T> gen) where T : struct => Gen.Frequency((1, Gen.Const((T?)null)), (3, gen.Select(v => (T?)v)));

    private static readonly Gen<string> Texts = Gen.OneOf(Pick("", "a", "é☃ 𝄞", "it's", "nul\0inside"), Gen.String[0, 12]);
    private static readonly Gen<string?> MaybeText = Gen.Frequency((1, Gen.Const((string?)null)), (3, Texts.Select(t => (string?)t)));
    private static readonly Gen<long?> MaybeLong = Gen.Frequency((1, Gen.Const((long?)null)), (3, Gen.OneOf(Gen.Long, Pick(0L, long.MinValue, long.MaxValue)).Select(l => (long?)l)));
    private static readonly Gen<byte[]?> MaybeBytes = Gen.Frequency((1, Gen.Const((byte[]?)null)), (1, Gen.Const((byte[]?)[])), (2, Gen.Byte.Array[1, 40].Select(b => (byte[]?)b)));
    private static readonly Gen<DateTimeOffset> Times = Gen.Long[0, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));
    private static readonly Gen<DateTimeOffset?> MaybeTime = Gen.Frequency((1, Gen.Const((DateTimeOffset?)null)), (2, Times.Select(t => (DateTimeOffset?)t)));

    /// <summary>A call's listing and its first decision's place and record (position and call id chosen by the caller).</summary>
    private static readonly Gen<(CallSummary Summary, string PersistenceId, long ReceivedSeq, long? DecidedSeq, long? DecidedPos, byte[]? Record)> Rows =
        Gen.Select(
            Gen.Select(Texts, Texts, MaybeText, Texts, Texts, Times, OrNull(Pick(Enum.GetValues<Decision>())), MaybeText),
            Gen.Select(MaybeText, OrNull(Pick(Enum.GetValues<SettingsLayer>())), OrNull(Pick(Enum.GetValues<CallOutcome>())), MaybeTime),
            Gen.Select(Texts, Gen.Long, MaybeLong, MaybeLong, MaybeBytes),
            (a, b, c) => (new CallSummary(0, "", a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, a.Item8, b.Item1, b.Item2, b.Item3, b.Item4),
                c.Item1, c.Item2, c.Item3, c.Item4, c.Item5));

    private static HistoryRowChange Change(long position, string call, bool isNew,
        (CallSummary Summary, string PersistenceId, long ReceivedSeq, long? DecidedSeq, long? DecidedPos, byte[]? Record) row, bool decided) =>
        new(position, row.PersistenceId, isNew, row.Summary with { Position = position, CallId = call })
        {
            ReceivedSequenceNr = row.ReceivedSeq,
            DecisionChanged = decided,
            FirstDecidedSequenceNr = row.DecidedSeq,
            FirstDecidedPosition = row.DecidedPos,
            DecisionRecord = row.Record,
        };

    [Fact]
    public async Task Every_row_it_writes_decides_and_ends_is_stored_as_microsoft_data_sqlites_parameters_stored_it()
    {
        var sample = 0;
        await Gen.Select(Rows.Array[1, 12], Rows.Array[0, 12], Gen.Bool.Array[24], Gen.Long[0, 1_000_000]).SampleAsync(async input =>
        {
            var (news, updates, decidedFlags, mark) = input;
            var inserted = news.Select((row, i) => Change(10 + i, $"call-{i}", true, row, false)).ToList();
            // Updates of rows written in the batch before: a decision, an end (the summary's outcome), or both.
            var changed = updates.Select((row, i) => Change(10 + i % news.Length, $"call-{i % news.Length}", false, row, decidedFlags[i])).ToList();

            sample++;
            var bound = await Write(Path.Combine(_root, $"bound-{sample}.db"), (c, s) => HistoryModelBatch.For(c, s), inserted, changed, mark);
            var reference = await Write(Path.Combine(_root, $"reference-{sample}.db"), (c, s) => new ParameterBatch((SqliteConnection)c, s), inserted, changed, mark);
            Assert.Equal(reference, bound);
            Assert.Contains(bound, r => r.StartsWith("mark ", StringComparison.Ordinal));
        }, iter: 40, threads: 1);
    }

    [Fact]
    public void A_row_that_binds_another_number_of_values_than_its_statement_has_is_refused_not_run_with_the_last_rows_values()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "short.db")}");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (a INTEGER, b TEXT)";
            create.ExecuteNonQuery();
        }
        using var statements = new SqliteStatements(connection);
        var row = new SqliteRowValues(statements.Statement("INSERT INTO t VALUES ($a, $b)", "$a", "$b"));
        row.Start().Long(1);
        row.Text("first");
        row.Execute();

        row.Start().Long(2);
        var error = Assert.Throws<InvalidOperationException>(row.Execute);
        Assert.Contains("bound 1 values for a statement of 2", error.Message, StringComparison.Ordinal);
        row.Start().Long(3);
        row.Text("third");
        Assert.Throws<IndexOutOfRangeException>(() => row.Bytes(null));
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT group_concat(a || b) FROM t";
        Assert.Equal("1first", count.ExecuteScalar());
    }

    [Fact]
    public async Task Its_connection_keeps_the_writers_page_cache_and_leaves_checkpoints_to_the_checkpointer()
    {
        var store = CallDirectoryStore.For("SQLite.MS", $"Data Source={Path.Combine(_root, "cache.db")}", null);
        await store.PrepareHistoryModelAsync(CancellationToken.None);
        var connection = (SqliteConnection)await store.OpenAsync(CancellationToken.None);
        await using var batch = new SqliteHistoryModelBatch(connection, store);

        Assert.Equal(-SqliteWriterConnection.CacheMebibytes * 1024L, Pragma(connection, "cache_size"));
        Assert.Equal(SqliteCheckpointer.WriterFallbackPages, Pragma(connection, "wal_autocheckpoint"));
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_statement_that_cannot_be_prepared_fails_the_batch_and_leaves_no_statement_of_it_prepared()
    {
        var store = CallDirectoryStore.For("SQLite.MS", $"Data Source={Path.Combine(_root, "leak.db")}", null);
        await store.PrepareHistoryModelAsync(CancellationToken.None);
        await using var connection = (SqliteConnection)await store.OpenAsync(CancellationToken.None);
        connection.Handle!.enable_sqlite3_next_stmt(true);
        // The counts' table is gone: its statement is the fourth of five to be prepared.
        using (var drop = connection.CreateCommand())
        {
            drop.CommandText = $"DROP TABLE {store.HistoryTallyTable}";
            drop.ExecuteNonQuery();
        }

        var failure = Assert.Throws<SqliteException>(() => new SqliteHistoryModelBatch(connection, store));

        Assert.Contains("orchestrator_history_tally", failure.Message);
        Assert.Null(SQLitePCL.raw.sqlite3_next_stmt(connection.Handle, null));
    }

    private static async Task<List<string>> Write(string path, Func<DbConnection, CallDirectoryStore, HistoryModelBatch> create,
        IReadOnlyList<HistoryRowChange> inserted, IReadOnlyList<HistoryRowChange> changed, long mark)
    {
        var store = CallDirectoryStore.For("SQLite.MS", $"Data Source={path}", null);
        await store.PrepareHistoryModelAsync(CancellationToken.None);
        await using (var batch = create(await store.OpenAsync(CancellationToken.None), store))
        {
            await batch.WriteAsync(inserted, Counts(mark), null, CancellationToken.None);
            await batch.WriteAsync(changed, Counts(mark / 2), null, CancellationToken.None);
        }
        await using var connection = await store.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        var columns = CallDirectoryStore.HistoryColumns.Split(", ");
        command.CommandText = $"SELECT {string.Join(" || ' ' || ", columns.Select(c => $"typeof({c}) || ':' || hex({c})"))} FROM {store.HistoryTable} " +
            $"UNION ALL SELECT 'mark ' || position FROM {store.HistoryMarkTable}";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>A mark with no counts (the base batch writes them, the same for both batches: their seal is not checked here).</summary>
    private static SealedCounts Counts(long mark) => new([], new Core.History.Integrity.HistoryMark(mark, 0), new byte[32]);

    /// <summary>The batch as it was before it bound through SQLite's API: Microsoft.Data.Sqlite parameters, values as boxed arrays.</summary>
    private sealed class ParameterBatch(SqliteConnection connection, CallDirectoryStore store) : HistoryModelBatch(connection, store)
    {
        protected override Task WriteAsync(DbTransaction transaction, IReadOnlyList<HistoryRowChange> changes, CancellationToken cancellationToken)
        {
            foreach (var c in changes)
            {
                var s = c.Summary;
                if (c.IsNew)
                {
                    Run(transaction, InsertSql, [c.Position, s.CallId, c.PersistenceId, c.ReceivedSequenceNr, s.Session, s.Agent, s.Workspace, s.Tool,
                        s.Subject, s.ReceivedAt.UtcTicks, s.Decision?.ToString(), s.Reason, s.Rule, s.Layer?.ToString(), s.Outcome?.ToString(),
                        s.EndedAt?.UtcTicks, c.FirstDecidedSequenceNr, c.FirstDecidedPosition, c.DecisionRecord]);
                    continue;
                }
                if (c.DecisionChanged)
                    Run(transaction, DecideSql, [c.Position, s.CallId, s.Decision?.ToString(), s.Reason, s.Rule, s.Layer?.ToString(),
                        c.FirstDecidedSequenceNr, c.FirstDecidedPosition, c.DecisionRecord]);
                if (c.Ended) Run(transaction, EndSql, [c.Position, s.CallId, s.Outcome?.ToString(), s.EndedAt?.UtcTicks]);
            }
            return Task.CompletedTask;
        }

        private void Run(DbTransaction transaction, Func<CallDirectoryStore, IReadOnlyList<string>, string> sql, object?[] values)
        {
            using var command = connection.CreateCommand();
            command.Transaction = (SqliteTransaction)transaction;
            var names = values.Select((_, i) => "$v" + i).ToArray();
            command.CommandText = sql(Store, names);
            for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue(names[i], values[i] ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }
}
