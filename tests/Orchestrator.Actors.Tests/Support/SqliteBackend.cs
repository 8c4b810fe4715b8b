using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Hosting;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>A real SQLite file in a temporary data directory, deleted afterwards.</summary>
public sealed class SqliteBackend : IJournalBackend
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orchestrator-specs", Guid.NewGuid().ToString("N"));

    public SqliteBackend()
    {
        Sqlite = PersistenceOptions.Sqlite(Path.Combine(_root, "data"));
    }

    public SqlitePersistenceOptions Sqlite { get; }

    public PersistenceOptions Options => Sqlite;

    public IReadOnlyList<JournalRow> ReadJournalRows()
    {
        using var connection = new SqliteConnection($"Data Source={Sqlite.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, manifest, identifier, tags, message FROM journal ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
            rows.Add(new JournalRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), (byte[])reader.GetValue(5)));
        return rows;
    }

    /// <summary>The rows of the sessions' streams (calls), without the policy stage's PolicyLoaded streams.</summary>
    public IReadOnlyList<JournalRow> ReadSessionRows() =>
        ReadJournalRows().Where(r => r.PersistenceId.StartsWith("session-", StringComparison.Ordinal)).ToArray();

    public string JournalTable => "journal";

    public string SnapshotTable => "snapshot";

    public IReadOnlyList<SnapshotRow> ReadSnapshotRows()
    {
        using var connection = new SqliteConnection($"Data Source={Sqlite.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SnapshotRow.Select(SnapshotTable);
        using var reader = command.ExecuteReader();
        return SnapshotRow.ReadAll(reader);
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Sqlite.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    public IReadOnlyList<object?[]> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Sqlite.DatabasePath};Mode=ReadOnly;Pooling=False");
        return QueryRows.Read(connection, sql);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
