using System.Collections.Immutable;
using System.Reflection;

namespace Orchestrator.Actors.Hosting;

/// <summary>
/// Where the decision history lives: <see cref="Sqlite"/> (embedded, the default) or <see cref="Postgres"/>.
/// Connection details go here, never into the HOCON files.
/// </summary>
public abstract record PersistenceOptions
{
    private protected PersistenceOptions() { }

    /// <summary>
    /// The folder holding <c>orchestrator.conf</c> and <c>persistence-*.conf</c>. When null: <c>hocon/</c> next to
    /// the executable, else the first <c>hocon/</c> found walking up from there and from the working directory.
    /// </summary>
    public string? HoconDirectory { get; init; }

    /// <summary>
    /// Open a journal that is behind its high-water mark (or has none) anyway, recording the acceptance in the data
    /// directory (<c>serve --accept-rewound-journal</c>).
    /// </summary>
    public bool AcceptRewoundJournal { get; init; }

    /// <summary>
    /// The mark <see cref="Storage.JournalOpening.Check"/> returned when the host ran it on these options (so a refusal
    /// came before the host was built): WithOrchestratorPersistence does not run it again, and the journal starts from
    /// this mark instead of reading the file a second time. Null: not checked yet.
    /// </summary>
    public Orchestrator.Core.History.Integrity.HighWaterMark? CheckedMark { get; init; }

    /// <summary>Assemblies scanned for [EventManifest] types besides Orchestrator.Core.</summary>
    public ImmutableArray<Assembly> EventAssemblies { get; init; } = [];

    /// <summary>The journal in <c>dataDirectory/orchestrator.db</c> (created if missing, switched to WAL).</summary>
    public static SqlitePersistenceOptions Sqlite(string dataDirectory) => new(dataDirectory);

    /// <summary>
    /// The journal in PostgreSQL, optionally in its own <paramref name="schema"/> (created if missing); its keys and
    /// high-water mark in <paramref name="dataDirectory"/> (required to start).
    /// </summary>
    public static PostgresPersistenceOptions Postgres(string connectionString, string? schema = null, string? dataDirectory = null) =>
        new(connectionString) { Schema = schema, DataDirectory = dataDirectory };

    /// <summary>The data directory of the keys and the high-water mark (and of the SQLite file); null when not given.</summary>
    internal abstract string? KeyDirectory { get; }

    /// <summary>What operators are told the journal is, in one line (never a password).</summary>
    internal abstract string JournalName { get; }

    /// <summary>The HOCON file with this backend's persistence settings.</summary>
    internal abstract string HoconFileName { get; }
}
