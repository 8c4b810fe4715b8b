using Microsoft.Data.Sqlite;
using Npgsql;
using Orchestrator.Actors.Hosting;
using Orchestrator.Load;

namespace Orchestrator.LoadBench;

/// <summary>A fresh journal for one point (temp SQLite directory or a fresh PostgreSQL schema), read back directly.</summary>
public abstract class JournalStore : IAsyncDisposable
{
    public const string PostgresVariable = "ORCHESTRATOR_TEST_POSTGRES";

    public abstract PersistenceOptions Options { get; }

    public static JournalStore Create(string backend) => backend switch
    {
        "sqlite" => new Sqlite(),
        "postgres" => new Postgres(Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{PostgresVariable} is not set: run  eval \"$(ops/postgres.sh)\"  first")),
        _ => throw new ArgumentException($"unknown backend {backend}"),
    };

    /// <summary>The journal's row count and the distinct call ids its payloads name (top-level <c>callId</c>).</summary>
    public (long Rows, HashSet<string> CallIds, Dictionary<string, long> Manifests) ReadCallIds() => CallIdsOf(ReadPayloads());

    /// <summary>The same of an existing SQLite journal (a data directory's <c>DatabasePath</c>), read-only.</summary>
    public static (long Rows, HashSet<string> CallIds, Dictionary<string, long> Manifests) ReadCallIds(string sqliteDatabase) =>
        CallIdsOf(Sqlite.Payloads(sqliteDatabase));

    private static (long Rows, HashSet<string> CallIds, Dictionary<string, long> Manifests) CallIdsOf(IEnumerable<(string Manifest, byte[] Payload)> payloads)
    {
        var read = JournalCalls.Of(payloads);
        return (read.Rows, read.CallIds.ToHashSet(StringComparer.Ordinal), read.Manifests.ToDictionary(StringComparer.Ordinal));
    }

    protected abstract IEnumerable<(string Manifest, byte[] Payload)> ReadPayloads();

    public abstract ValueTask DisposeAsync();

    private sealed class Sqlite : JournalStore
    {
        private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-loadbench-db-").FullName;
        private readonly SqlitePersistenceOptions _options;

        public Sqlite() => _options = PersistenceOptions.Sqlite(Path.Combine(_root, "data"));

        public override PersistenceOptions Options => _options;

        protected override IEnumerable<(string Manifest, byte[] Payload)> ReadPayloads() => Payloads(_options.DatabasePath);

        public static IEnumerable<(string Manifest, byte[] Payload)> Payloads(string databasePath)
        {
            using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT manifest, message FROM journal ORDER BY ordering";
            using var reader = command.ExecuteReader();
            while (reader.Read()) yield return (reader.GetString(0), (byte[])reader.GetValue(1));
        }

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Postgres(string connectionString) : JournalStore
    {
        private readonly string _root = Directory.CreateTempSubdirectory("orchestrator-loadbench-keys-").FullName;
        private readonly PostgresPersistenceOptions _options =
            PersistenceOptions.Postgres(connectionString, $"loadbench_{Guid.NewGuid():N}");

        public override PersistenceOptions Options => _options with { DataDirectory = _root };

        protected override IEnumerable<(string Manifest, byte[] Payload)> ReadPayloads()
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT manifest, message FROM \"{_options.Schema}\".journal ORDER BY ordering";
            using var reader = command.ExecuteReader();
            while (reader.Read()) yield return (reader.GetString(0), (byte[])reader.GetValue(1));
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP SCHEMA IF EXISTS \"{_options.Schema}\" CASCADE";
            await command.ExecuteNonQueryAsync();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
