using System.Text;
using Akka.Configuration;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Storage;

namespace Orchestrator.Actors.Hosting;

/// <summary>
/// The HOCON Orchestrator's persistence runs with: the connection settings injected at startup, over the backend's
/// <c>persistence-*.conf</c>, over <c>orchestrator.conf</c>.
/// </summary>
public static class PersistenceConfig
{
    private static readonly string[] PluginPaths =
    [
        "akka.persistence.journal.sql",
        "akka.persistence.snapshot-store.sql",
        OrchestratorReadJournal.PluginId,
    ];

    /// <summary>Builds the configuration; <paramref name="connectionString"/> is the one the backend was prepared with.</summary>
    public static Config Build(PersistenceOptions options, string hoconDirectory, string connectionString)
    {
        var injected = ConfigurationFactory.ParseString(ConnectionHocon(options, connectionString));
        var backend = ParseFile(Path.Combine(hoconDirectory, options.HoconFileName));
        var basics = ParseFile(Path.Combine(hoconDirectory, HoconDirectory.MarkerFile));
        return injected.WithFallback(backend).WithFallback(basics);
    }

    /// <summary>The HOCON text setting the connection string (and schema) on the journal, snapshots and queries.</summary>
    public static string ConnectionHocon(PersistenceOptions options, string connectionString)
    {
        var text = new StringBuilder();
        var schema = (options as PostgresPersistenceOptions)?.Schema;
        foreach (var path in PluginPaths)
        {
            text.Append(path).Append(".connection-string = ").AppendLine(HoconText.Quote(connectionString));
            if (schema is not null)
                text.Append(path).Append(".default.schema-name = ").AppendLine(HoconText.Quote(schema));
        }
        if (options.KeyDirectory is { } data)
        {
            var full = Path.GetFullPath(data);
            text.Append(JournalIntegrity.ConfigPath).Append(".key-file = ").AppendLine(HoconText.Quote(JournalKeyFiles.JournalKeyPath(full)));
            text.Append(JournalIntegrity.ConfigPath).Append(".input-key-file = ").AppendLine(HoconText.Quote(JournalKeyFiles.InputKeyPath(full)));
            text.Append(JournalIntegrity.ConfigPath).Append(".high-water-mark-file = ").AppendLine(HoconText.Quote(JournalKeyFiles.HighWaterMarkPath(full)));
        }
        text.Append(JournalIntegrity.ConfigPath).Append(".journal-name = ").AppendLine(HoconText.Quote(options.JournalName));
        return text.ToString();
    }

    private static Config ParseFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Akka configuration file {path} is missing.", path);
        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }
}
