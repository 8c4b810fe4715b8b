using System.Data.Common;
using System.Reflection;
using Akka.Actor;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Fills an empty call directory from a journal written before the directory existed: one scan of the calls' first
/// and terminal events, in each session's order, written in one transaction (all of it or nothing, so a start that
/// dies half-way fills it again next time).
/// </summary>
internal static class CallDirectoryBackfill
{
    private static readonly string[] Manifests =
        [.. new[] { typeof(CallReceived), typeof(CallReceivedAndDecided), typeof(CallCompleted), typeof(CallInterrupted) }
            .Select(t => t.GetCustomAttribute<EventManifestAttribute>()!.Manifest)];

    /// <summary>The number of calls found and of those still open (0, 0 when the journal holds no call).</summary>
    public static async Task<(int Calls, int Open)> RunAsync(CallDirectoryStore store, ActorSystem system, CancellationToken cancellationToken)
    {
        await using var read = await store.OpenAsync(cancellationToken);
        if (!await store.JournalExistsAsync(read, cancellationToken)) return (0, 0);

        var opens = new Dictionary<Core.Calls.CallId, CallOpened>();
        var closes = new List<CallClosed>();
        await using (var command = read.CreateCommand())
        {
            var names = string.Join(", ", Manifests.Select((_, i) => "@m" + i));
            command.CommandText =
                $"SELECT persistence_id, sequence_number, identifier, manifest, message FROM {store.JournalTable} " +
                $"WHERE manifest IN ({names}) AND persistence_id LIKE @prefix ORDER BY persistence_id, sequence_number";
            for (var i = 0; i < Manifests.Length; i++) AddParameter(command, "@m" + i, Manifests[i]);
            AddParameter(command, "@prefix", CallDirectoryChanges.SessionPrefix + "%");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var persistenceId = reader.GetString(0);
                var sequenceNr = reader.GetInt64(1);
                var stored = system.Serialization.Deserialize((byte[])reader.GetValue(4), reader.GetInt32(2), reader.GetString(3));
                var evt = stored is SealedEvent sealedEvent
                    ? system.Serialization.Deserialize(sealedEvent.Payload, sealedEvent.SerializerId, sealedEvent.Manifest)
                    : stored;
                var (opened, closed) = CallDirectoryChanges.Classify(evt);
                if (opened is { } call) opens.TryAdd(call, new CallOpened(call, persistenceId, sequenceNr, null));
                if (closed is not { } ended) continue;
                if (opens.TryGetValue(ended, out var open) && open.PersistenceId == persistenceId && open.FirstSequenceNr == sequenceNr)
                    opens[ended] = open with { LastSequenceNr = sequenceNr };
                else closes.Add(new CallClosed(ended, persistenceId, sequenceNr));
            }
        }
        if (opens.Count == 0) return (0, 0);

        await using var batch = store.CreateBatch(await store.OpenAsync(cancellationToken), writerUuid: "");
        await batch.WriteAsync([], [.. opens.Values], closes, cancellationToken);
        var closedLater = closes.Select(c => (c.Call, c.PersistenceId)).ToHashSet();
        var stillOpen = opens.Values.Count(o => o.LastSequenceNr is null && !closedLater.Contains((o.Call, o.PersistenceId)));
        return (opens.Count, stillOpen);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
