using Npgsql;

namespace Orchestrator.Actors.Hosting;

/// <summary>Prepares the PostgreSQL schema before Akka opens the journal.</summary>
public static class PostgresSchema
{
    /// <summary>
    /// Connects once (so a wrong connection string fails at startup with Npgsql's message) and creates the
    /// configured schema when missing.
    /// </summary>
    public static void Prepare(PostgresPersistenceOptions options)
    {
        using var connection = new NpgsqlConnection(options.ConnectionString);
        connection.Open();
        if (options.Schema is null) return;
        using var command = connection.CreateCommand();
        // Schema is validated as a plain identifier ([a-z_][a-z0-9_]*), so quoting it is exact.
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{options.Schema}\"";
        command.ExecuteNonQuery();
    }
}
