using Akka.Actor;
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
        JournalScan.ManifestsOf(typeof(CallReceived), typeof(CallReceivedAndDecided), typeof(CallCompleted), typeof(CallInterrupted));

    /// <summary>The number of calls found and of those still open (0, 0 when the journal holds no call).</summary>
    public static async Task<(int Calls, int Open)> RunAsync(CallDirectoryStore store, ActorSystem system, CancellationToken cancellationToken)
    {
        await using var read = await store.OpenAsync(cancellationToken);
        if (!await store.JournalExistsAsync(read, cancellationToken)) return (0, 0);

        var opens = new Dictionary<Core.Calls.CallId, CallOpened>();
        var closes = new List<CallClosed>();
        await foreach (var (persistenceId, sequenceNr, evt) in JournalScan.EventsAsync(store, system, read, Manifests, cancellationToken))
        {
            if (CallDirectoryChanges.SessionOf(persistenceId) is null) continue;
            var (opened, closed) = CallDirectoryChanges.Classify(evt);
            if (opened is { } call) opens.TryAdd(call, new CallOpened(call, persistenceId, sequenceNr, null));
            if (closed is not { } ended) continue;
            if (opens.TryGetValue(ended, out var open) && open.PersistenceId == persistenceId && open.FirstSequenceNr == sequenceNr)
                opens[ended] = open with { LastSequenceNr = sequenceNr };
            else closes.Add(new CallClosed(ended, persistenceId, sequenceNr));
        }
        if (opens.Count == 0) return (0, 0);

        await using var batch = store.CreateBatch(await store.OpenAsync(cancellationToken), writerUuid: "");
        await batch.WriteAsync([], [.. opens.Values], closes, ApprovalIndexChanges.None, cancellationToken);
        var closedLater = closes.Select(c => (c.Call, c.PersistenceId)).ToHashSet();
        var stillOpen = opens.Values.Count(o => o.LastSequenceNr is null && !closedLater.Contains((o.Call, o.PersistenceId)));
        return (opens.Count, stillOpen);
    }
}
