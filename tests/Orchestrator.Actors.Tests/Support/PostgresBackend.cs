using Npgsql;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>
/// A real PostgreSQL database from <c>ORCHESTRATOR_TEST_POSTGRES</c>, with a schema private to one spec that is
/// dropped afterwards. Without the variable the PostgreSQL specs fail — loudly, never skipped.
/// </summary>
public sealed class PostgresBackend : IJournalBackend
{
    public const string EnvironmentVariable = "ORCHESTRATOR_TEST_POSTGRES";

    private readonly string _connectionString;
    /// <summary>The data directory with the journal key and high-water mark (never in the database).</summary>
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "orchestrator-specs", Guid.NewGuid().ToString("N"), "data");

    private PostgresBackend(string connectionString)
    {
        _connectionString = connectionString;
        Postgres = PersistenceOptions.Postgres(connectionString, $"spec_{Guid.NewGuid():N}", _keys);
    }

    public PostgresPersistenceOptions Postgres { get; }

    public PersistenceOptions Options => Postgres;

    public static PostgresBackend FromEnvironment()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"POSTGRESQL SPECS NEED A DATABASE: {EnvironmentVariable} is not set. Run  eval \"$(ops/postgres.sh)\"  " +
                "first (it starts a private PostgreSQL on 127.0.0.1 and prints the connection string); CI runs ops/postgres.sh before the tests.");
        return new PostgresBackend(connectionString);
    }

    public IReadOnlyList<JournalRow> ReadJournalRows()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT persistence_id, sequence_number, manifest, identifier, tags, message FROM \"{Postgres.Schema}\".journal ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
            rows.Add(new JournalRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), (byte[])reader.GetValue(5)));
        return rows;
    }

    public string JournalTable => $"\"{Postgres.Schema}\".journal";

    public string SnapshotTable => $"\"{Postgres.Schema}\".snapshot";

    public IReadOnlyList<SnapshotRow> ReadSnapshotRows()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SnapshotRow.Select(SnapshotTable);
        using var reader = command.ExecuteReader();
        return SnapshotRow.ReadAll(reader);
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    public IReadOnlyList<object?[]> Query(string sql)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        return QueryRows.Read(connection, sql);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP SCHEMA IF EXISTS \"{Postgres.Schema}\" CASCADE";
        command.ExecuteNonQuery();
        try { Directory.Delete(Path.GetDirectoryName(_keys)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
