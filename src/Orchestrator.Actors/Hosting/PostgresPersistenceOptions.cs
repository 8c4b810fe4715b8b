using System.Text.RegularExpressions;

namespace Orchestrator.Actors.Hosting;

/// <summary>The decision history in PostgreSQL.</summary>
public sealed partial record PostgresPersistenceOptions : PersistenceOptions
{
    private readonly string? _schema;

    public PostgresPersistenceOptions(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConnectionString = connectionString;
    }

    /// <summary>
    /// The data directory holding the journal key, the input key and the high-water mark (they never live in the
    /// database); required to start.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>An Npgsql connection string.</summary>
    public string ConnectionString { get; init; }

    /// <summary>
    /// The schema holding the journal, snapshot and metadata tables; created at startup when missing. Null: the
    /// provider's default (<c>public</c>). A plain lower-case identifier, so it needs no quoting anywhere.
    /// </summary>
    public string? Schema
    {
        get => _schema;
        init => _schema = value is null || SchemaName().IsMatch(value)
            ? value
            : throw new ArgumentException($"Schema \"{value}\" must match [a-z_][a-z0-9_]{{0,62}}.", nameof(Schema));
    }

    internal override string HoconFileName => "persistence-postgres.conf";

    internal override string? KeyDirectory => DataDirectory;

    internal override string JournalName
    {
        get
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL {builder.Host}/{builder.Database} schema {Schema ?? "public"}";
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
