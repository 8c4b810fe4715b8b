using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Creates the approval index when it is missing. A journal written before the index existed is scanned once for its
/// approval events and the grants written from them; the rows go into a table of another name that is renamed only
/// once it is full, so a start that dies half-way fills it again next time and never leaves a partial index.
/// </summary>
internal static class ApprovalIndexBackfill
{
    private static readonly string[] Manifests =
        JournalScan.ManifestsOf(typeof(ApprovalRequested), typeof(ApprovalAnswered), typeof(ApprovalTimedOut), typeof(GrantAdded));

    /// <summary>The number of approvals filled in from the journal; null when the index already existed.</summary>
    public static async Task<int?> PrepareAsync(CallDirectoryStore store, ActorSystem system, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        if (await store.ApprovalIndexExistsAsync(connection, cancellationToken))
        {
            await store.CreateApprovalIndexesAsync(connection, cancellationToken);
            return null;
        }

        var filling = store.ApprovalTable + "_filling";
        await CallDirectoryStore.Execute(connection, null, $"DROP TABLE IF EXISTS {filling}", cancellationToken);
        await CallDirectoryStore.Execute(connection, null, CallDirectoryStore.ApprovalTableDefinition(filling), cancellationToken);
        var changes = ApprovalIndexChanges.None;
        if (await store.JournalExistsAsync(connection, cancellationToken))
        {
            var builder = new ApprovalIndexChanges.Builder();
            await foreach (var (persistenceId, sequenceNr, evt) in JournalScan.EventsAsync(store, system, connection, Manifests, cancellationToken))
            {
                var session = CallDirectoryChanges.SessionOf(persistenceId) is not null;
                if (session || persistenceId == ApprovalBroker.Name) builder.Add(persistenceId, sequenceNr, evt, session);
            }
            changes = builder.Build();
        }
        if (!changes.IsEmpty)
        {
            await using var batch = JournalBatch.For(await store.OpenAsync(cancellationToken), store.JournalTable, store.Table, filling, writerUuid: "");
            await batch.WriteAsync([], [], [], changes, cancellationToken);
        }
        await CallDirectoryStore.Execute(connection, null, $"ALTER TABLE {filling} RENAME TO {CallDirectoryStore.ApprovalTableName}", cancellationToken);
        await store.CreateApprovalIndexesAsync(connection, cancellationToken);
        return changes.Opens.Length;
    }
}
