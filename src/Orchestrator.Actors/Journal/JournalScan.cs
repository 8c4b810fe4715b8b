using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.History;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// One pass over the journal's rows of the given event types, in each persistence id's order, opened (for filling a
/// side table from a journal written before it existed; the rows are the journal's own, their seals are not rechecked
/// here — the sessions and readers check them).
/// </summary>
internal static class JournalScan
{
    public static string[] ManifestsOf(params Type[] eventTypes) =>
        [.. eventTypes.SelectMany(t => StoredEncodings.ManifestsOf(t, t.GetCustomAttribute<EventManifestAttribute>()!.Manifest))];

    public static async IAsyncEnumerable<(string PersistenceId, long SequenceNr, object Event)> EventsAsync(
        CallDirectoryStore store, ActorSystem system, DbConnection connection, IReadOnlyList<string> manifests,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var names = string.Join(", ", manifests.Select((_, i) => "@m" + i));
        command.CommandText =
            $"SELECT persistence_id, sequence_number, identifier, manifest, message FROM {store.JournalTable} " +
            $"WHERE manifest IN ({names}) ORDER BY persistence_id, sequence_number";
        for (var i = 0; i < manifests.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@m" + i;
            parameter.Value = manifests[i];
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = system.Serialization.Deserialize((byte[])reader.GetValue(4), reader.GetInt32(2), reader.GetString(3));
            var evt = stored is SealedEvent sealedEvent
                ? JournalIntegrity.Get(system).Deserialize(sealedEvent.Payload, sealedEvent.SerializerId, sealedEvent.Manifest)
                : stored;
            yield return (reader.GetString(0), reader.GetInt64(1), evt);
        }
    }
}
