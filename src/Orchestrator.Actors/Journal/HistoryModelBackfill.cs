using Akka.Actor;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Creates the history read model when it is missing (a journal written before it existed, or a table dropped to have
/// it rebuilt): one scan of the sessions' call events, written in chunks into a table of another name that is renamed
/// only once it is full, so a start that dies half-way fills it again next time and never leaves a partial model.
/// </summary>
internal static class HistoryModelBackfill
{
    private const int ChunkEvents = 20_000;

    private static readonly string[] Manifests = JournalScan.ManifestsOf(typeof(CallReceived), typeof(CallReceivedAndDecided),
        typeof(CallDecided), typeof(CallCompleted), typeof(CallInterrupted));

    /// <summary>The number of call events the model was filled from; null when it already existed.</summary>
    public static async Task<long?> PrepareAsync(CallDirectoryStore store, ActorSystem system, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        if (await store.HistoryModelExistsAsync(connection, cancellationToken))
        {
            await store.CreateHistoryIndexesAsync(connection, cancellationToken);
            return null;
        }

        var filling = store.HistoryTable + "_filling";
        await CallDirectoryStore.Execute(connection, null, $"DROP TABLE IF EXISTS {filling}", cancellationToken);
        await CallDirectoryStore.Execute(connection, null, CallDirectoryStore.HistoryTableDefinition(filling), cancellationToken);
        long events = 0;
        if (await store.JournalExistsAsync(connection, cancellationToken))
        {
            await using var batch = JournalBatch.For(await store.OpenAsync(cancellationToken), store.JournalTable, store.Table, store.ApprovalTable,
                filling, writerUuid: "");
            var chunk = new List<HistoryEventAt>(ChunkEvents);
            async Task Flush()
            {
                if (chunk.Count == 0) return;
                await batch.WriteAsync([], [], [], ApprovalIndexChanges.None, cancellationToken, new HistoryModelChanges([.. chunk]));
                events += chunk.Count;
                chunk.Clear();
            }
            await using var read = await store.OpenAsync(cancellationToken);
            await foreach (var (persistenceId, sequenceNr, evt) in JournalScan.EventsAsync(store, system, read, Manifests, cancellationToken))
            {
                if (CallDirectoryChanges.SessionOf(persistenceId) is null || evt is not CallEvent call) continue;
                chunk.Add(new HistoryEventAt(persistenceId, sequenceNr, call));
                if (chunk.Count >= ChunkEvents) await Flush();
            }
            await Flush();
        }
        await CallDirectoryStore.Execute(connection, null, $"ALTER TABLE {filling} RENAME TO {CallDirectoryStore.HistoryTableName}", cancellationToken);
        await store.CreateHistoryIndexesAsync(connection, cancellationToken);
        return events;
    }
}
