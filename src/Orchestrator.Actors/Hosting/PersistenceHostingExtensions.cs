using System.Reflection;
using Akka.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Storage;

namespace Orchestrator.Actors.Hosting;

/// <summary>Akka.Hosting extensions that give the actor system Orchestrator's decision history.</summary>
public static class PersistenceHostingExtensions
{
    /// <summary>
    /// Gives the actor system Orchestrator's decision history:
    /// <list type="number">
    /// <item>registers <see cref="OrchestratorEventSerializer"/> for every [EventManifest] type in Orchestrator.Core
    /// and <see cref="PersistenceOptions.EventAssemblies"/> (a duplicate manifest fails here, before any I/O);</item>
    /// <item>prepares the store — SQLite: creates the data directory and switches the file to WAL; PostgreSQL: checks
    /// the connection and creates the schema;</item>
    /// <item>loads <c>orchestrator.conf</c> and the backend's <c>persistence-*.conf</c> with the connection injected,
    /// appended as a fallback (HOCON added to the builder earlier wins).</item>
    /// </list>
    /// </summary>
    public static AkkaConfigurationBuilder WithOrchestratorPersistence(this AkkaConfigurationBuilder builder, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Event registration first: a duplicate manifest fails startup before the store is touched.
        builder.WithOrchestratorSerialization(options.EventAssemblies.IsDefault ? [] : options.EventAssemblies);

        var hoconDirectory = HoconDirectory.Locate(options.HoconDirectory);
        // The keys and the high-water mark live in the data directory, also when the journal is in PostgreSQL.
        var dataDirectory = options.KeyDirectory is { } data
            ? DataDirectory.Ensure(data)
            : throw new ArgumentException("The journal needs a data directory for its keys and high-water mark (PostgresPersistenceOptions.DataDirectory).", nameof(options));
        // The mark the check read is the one the journal starts from (read once, and never another than the check's).
        builder.AddSetup(new OpenedHighWaterMark(JournalKeyFiles.HighWaterMarkPath(dataDirectory), options.CheckedMark ?? JournalOpening.Check(options)));
        SecretFile.ReadOrCreate(JournalKeyFiles.JournalKeyPath(dataDirectory));
        SecretFile.ReadOrCreate(JournalKeyFiles.InputKeyPath(dataDirectory));
        var connectionString = options switch
        {
            SqlitePersistenceOptions sqlite => SqliteJournalFile.Prepare(sqlite),
            PostgresPersistenceOptions postgres => PreparePostgres(postgres),
            _ => throw new ArgumentException($"Unknown persistence options {options.GetType().Name}.", nameof(options)),
        };

        if (options is SqlitePersistenceOptions) SqliteWriteBatching.AddTo(builder, connectionString);
        return builder.AddHocon(PersistenceConfig.Build(options, hoconDirectory, connectionString), HoconAddMode.Append);
    }

    /// <summary>
    /// Registers <see cref="OrchestratorEventSerializer"/> (identifier <see cref="OrchestratorEventSerializer.SerializerId"/>)
    /// and binds it to each [EventManifest] type found in Orchestrator.Core and <paramref name="eventAssemblies"/>.
    /// Call it once per actor system (WithOrchestratorPersistence already does).
    /// </summary>
    /// <exception cref="EventRegistrationException">Two types share a manifest, or a manifest is malformed.</exception>
    public static AkkaConfigurationBuilder WithOrchestratorSerialization(this AkkaConfigurationBuilder builder, IEnumerable<Assembly>? eventAssemblies = null)
    {
        var registry = EventTypeRegistry.Discover(eventAssemblies);
        return builder
            .WithCustomSerializer(
                OrchestratorEventSerializer.SerializerName,
                registry.EventTypes,
                system => new OrchestratorEventSerializer(system, registry))
            .WithCustomSerializer(SealedEventSerializer.SerializerName, [typeof(SealedEvent), typeof(SealedSnapshot)], system => new SealedEventSerializer(system));
    }

    private static string PreparePostgres(PostgresPersistenceOptions options)
    {
        PostgresSchema.Prepare(options);
        return options.ConnectionString;
    }
}
