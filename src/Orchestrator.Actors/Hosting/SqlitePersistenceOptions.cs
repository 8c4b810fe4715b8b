namespace Orchestrator.Actors.Hosting;

/// <summary>The decision history in an embedded SQLite file.</summary>
public sealed record SqlitePersistenceOptions : PersistenceOptions
{
    public SqlitePersistenceOptions(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = dataDirectory;
    }

    /// <summary>The directory holding the database file; created when missing.</summary>
    public string DataDirectory { get; init; }

    /// <summary>The database file name inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFileName { get; init; } = "orchestrator.db";

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));

    internal override string HoconFileName => "persistence-sqlite.conf";

    internal override string? KeyDirectory => DataDirectory;

    internal override string JournalName => DatabasePath;
}
