using Microsoft.Data.Sqlite;

namespace Orchestrator.Actors.Hosting;

/// <summary>Prepares the SQLite journal file before Akka opens it.</summary>
public static class SqliteJournalFile
{
    /// <summary>
    /// Creates the data directory and the database file, switches the file to WAL (persistent in the file; the
    /// connection string cannot ask for it) and returns the connection string Akka should use.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file refused WAL mode.</exception>
    public static string Prepare(SqlitePersistenceOptions options)
    {
        var path = options.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite file {path} refused WAL mode (journal_mode is \"{mode}\").");
        }
        return connectionString;
    }

    /// <summary>The journal mode the file at <paramref name="path"/> is in (e.g. "wal").</summary>
    public static string JournalMode(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string)command.ExecuteScalar()!;
    }
}
