using System.Reflection;
using Akka.Hosting;
using Orchestrator.Actors.Serialization;

namespace Orchestrator.Actors.Hosting;

/// <summary>Akka.Hosting extensions that give the actor system Orchestrator's decision history.</summary>
public static class PersistenceHostingExtensions
{
    /// <summary>
    /// Prepares the store (SQLite: data directory and WAL; PostgreSQL: connection check and schema), loads
    /// <c>orchestrator.conf</c> and the backend's <c>persistence-*.conf</c> with the connection injected, and
    /// registers <see cref="OrchestratorEventSerializer"/> for every [EventManifest] type in Orchestrator.Core and
    /// <see cref="PersistenceOptions.EventAssemblies"/>. The HOCON is appended as a fallback: settings added to the
    /// builder earlier win.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrchestratorPersistence(this AkkaConfigurationBuilder builder, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hoconDirectory = HoconDirectory.Locate(options.HoconDirectory);
        var connectionString = options switch
        {
            SqlitePersistenceOptions sqlite => SqliteJournalFile.Prepare(sqlite),
            PostgresPersistenceOptions postgres => PreparePostgres(postgres),
            _ => throw new ArgumentException($"Unknown persistence options {options.GetType().Name}.", nameof(options)),
        };

        return builder
            .AddHocon(PersistenceConfig.Build(options, hoconDirectory, connectionString), HoconAddMode.Append)
            .WithOrchestratorSerialization(options.EventAssemblies.IsDefault ? [] : options.EventAssemblies);
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
        return builder.WithCustomSerializer(
            OrchestratorEventSerializer.SerializerName,
            registry.EventTypes,
            system => new OrchestratorEventSerializer(system, registry));
    }

    private static string PreparePostgres(PostgresPersistenceOptions options)
    {
        PostgresSchema.Prepare(options);
        return options.ConnectionString;
    }
}
