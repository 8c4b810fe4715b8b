using System.Data.Common;
using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.LoadBench;

/// <summary>
/// Experiments (--experiment NAME[,NAME]) that test hypotheses about the SQLite write path without touching src/:
/// they hand the journal a linq2db <see cref="DataOptions"/> (Akka.Persistence.Sql's <see cref="DataOptionsSetup"/>)
/// with a connection interceptor. Not Orchestrator's configuration; the findings go to the report.
/// <list type="bullet">
/// <item><c>yield-writes</c>: the journal's write stage runs the (synchronous) Microsoft.Data.Sqlite write inside the
/// Akka.Streams interpreter, so no submissions can join the batch while it runs and every transaction carries one
/// actor's write. Yielding once when the connection opens makes the write asynchronous: the interpreter keeps
/// accepting writes and the next batch holds everything that arrived meanwhile (up to batch-size).</item>
/// <item><c>sync-normal</c>: PRAGMA synchronous=NORMAL on every journal connection (WAL): no fsync per commit; durable
/// across a process crash (kill -9), not across power loss / OS crash.</item>
/// </list>
/// </summary>
public static class Experiments
{
    public static readonly string[] Known = ["yield-writes", "sync-normal", "count-batches"];

    /// <summary>With count-batches: journal INSERT statements and the rows they carried (rows per INSERT = batch size).</summary>
    public static long Inserts, InsertedRows, Opens;

    public static string BatchSummary() =>
        Inserts == 0 ? "" : $"journal INSERTs {Inserts:N0}, rows {InsertedRows:N0} ({(double)InsertedRows / Inserts:F1} rows per INSERT), connection opens {Opens:N0}";

    public static void ResetCounters() => (Inserts, InsertedRows, Opens) = (0, 0, 0);

    public static void Apply(AkkaConfigurationBuilder builder, PersistenceOptions persistence, IReadOnlyCollection<string> experiments)
    {
        if (experiments.Count == 0) return;
        if (persistence is not SqlitePersistenceOptions sqlite)
            throw new ArgumentException("the experiments apply to SQLite only");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = sqlite.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var interceptor = new Interceptor(experiments.Contains("yield-writes"), experiments.Contains("sync-normal"));
        var options = new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseInterceptor(interceptor);
        if (experiments.Contains("count-batches")) options = options.UseInterceptor(new Counter());
        builder.AddSetup(new DataOptionsSetup(options));
    }

    private sealed class Counter : CommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
        {
            var text = command.CommandText;
            if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) && text.Contains("journal", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref Inserts);
                // Multi-row insert: one "VALUES (" then one "(" per further row after "),".
                var rows = 1 + CountOf(text, "),(") + CountOf(text, "),\n(") + CountOf(text, "),\r\n(");
                Interlocked.Add(ref InsertedRows, rows);
            }
            return command;
        }

        private static int CountOf(string text, string what)
        {
            var n = 0;
            for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
            return n;
        }
    }

    private sealed class Interceptor(bool yieldOnOpen, bool syncNormal) : ConnectionInterceptor
    {
        public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
        {
            Interlocked.Increment(ref Opens);
            if (syncNormal) SyncNormal(connection);
        }

        public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opens);
            if (yieldOnOpen) await Task.Yield();
            if (syncNormal) SyncNormal(connection);
        }

        private static void SyncNormal(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }
    }
}
