using System.Data.Common;
using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;

namespace Orchestrator.Actors.Hosting;

/// <summary>
/// How the journal's SQLite connections behave under load (measured with ops/bench/load.sh, see BENCHMARKS.md):
/// <list type="bullet">
/// <item>Batching across calls. Microsoft.Data.Sqlite's "async" methods run synchronously, so Akka.Persistence.Sql's
/// single writer ran each write inside its stream stage and nothing could join the next batch meanwhile: every INSERT
/// carried one actor's events (2.4 rows per INSERT with 1,000 sessions). One yield when the connection opens makes the
/// write truly asynchronous; writes that arrive meanwhile form the next batch (~100 rows per INSERT, 2.1–2.4× the
/// decisions/s).</item>
/// <item>Waiting on a busy database inside SQLite. Without a busy timeout SQLite answers SQLITE_BUSY at once and
/// Microsoft.Data.Sqlite retries after sleeping 150 ms: p99 was 157 ms at 1,000 calls/s. With
/// <c>busy_timeout</c> SQLite retries itself within milliseconds: p99 20 ms.</item>
/// </list>
/// </summary>
internal static class SqliteWriteBatching
{
    private const string BusyTimeout = "PRAGMA busy_timeout = 30000;";

    public static AkkaConfigurationBuilder AddTo(AkkaConfigurationBuilder builder, string connectionString) =>
        builder.AddSetup(new DataOptionsSetup(new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseInterceptor(new JournalConnection())));

    private sealed class JournalConnection : ConnectionInterceptor
    {
        public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => SetBusyTimeout(connection);

        public override async Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            await Task.Yield();
            SetBusyTimeout(connection);
        }

        private static void SetBusyTimeout(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = BusyTimeout;
            command.ExecuteNonQuery();
        }
    }
}
