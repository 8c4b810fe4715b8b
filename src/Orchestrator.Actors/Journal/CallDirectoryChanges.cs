using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// A call's directory row: its first event's place, and its terminal event's sequence number when that event is in the
/// same atomic write (a call that starts and ends in one event is closed from the start: that write lands whole or not at all).
/// </summary>
public sealed record CallOpened(CallId Call, string PersistenceId, long FirstSequenceNr, long? LastSequenceNr);

/// <summary>A call's terminal event at <paramref name="LastSequenceNr"/> (written after that event is in the journal).</summary>
public sealed record CallClosed(CallId Call, string PersistenceId, long LastSequenceNr);

/// <summary>
/// What a journal write changes in the call directory (rows to write before the events, closes to write after) and in
/// the approval index beside it (<see cref="Approvals"/>).
/// </summary>
public sealed record CallDirectoryChanges(ImmutableArray<CallOpened> Opens, ImmutableArray<CallClosed> Closes)
{
    public static readonly CallDirectoryChanges None = new([], []);

    public ApprovalIndexChanges Approvals { get; init; } = ApprovalIndexChanges.None;

    /// <summary>The call events the history read model is kept from (written after the events: rows read their positions back).</summary>
    public HistoryModelChanges History { get; init; } = HistoryModelChanges.None;

    /// <summary>The persistence id prefix of agent sessions, the only writers of calls.</summary>
    public static readonly string SessionPrefix = AgentSessionActor.PersistenceIdOf(new SessionId(""));

    public bool IsEmpty => Opens.IsEmpty && Closes.IsEmpty && Approvals.IsEmpty && History.IsEmpty;

    /// <summary>All of <paramref name="changes"/> as one write's, in order.</summary>
    public static CallDirectoryChanges Concat(IReadOnlyList<CallDirectoryChanges> changes) => changes.Count == 1
        ? changes[0]
        : new CallDirectoryChanges([.. changes.SelectMany(c => c.Opens)], [.. changes.SelectMany(c => c.Closes)])
        {
            Approvals = ApprovalIndexChanges.Concat(changes.Select(c => c.Approvals)),
            History = HistoryModelChanges.Concat(changes.Select(c => c.History)),
        };

    /// <summary>What is written before the events when the directory is kept around Akka.Persistence.Sql's writes.</summary>
    public CallDirectoryChanges BeforeEvents => new(Opens, []) { Approvals = new(Approvals.Opens, [], []) };

    /// <summary>What is written after the events when the directory is kept around Akka.Persistence.Sql's writes.</summary>
    public CallDirectoryChanges AfterEvents => new([], Closes) { Approvals = new([], Approvals.Closes, Approvals.GrantsWritten), History = History };

    /// <summary>The session of a session's persistence id; null for any other persistence id.</summary>
    public static SessionId? SessionOf(string persistenceId) =>
        persistenceId.StartsWith(SessionPrefix, StringComparison.Ordinal) ? new SessionId(persistenceId[SessionPrefix.Length..]) : null;

    /// <summary>The changes of the (unsealed) atomic writes, in order.</summary>
    public static CallDirectoryChanges Of(IEnumerable<AtomicWrite> writes)
    {
        ImmutableArray<CallOpened>.Builder? opens = null;
        ImmutableArray<CallClosed>.Builder? closes = null;
        ApprovalIndexChanges.Builder? approvals = null;
        ImmutableArray<HistoryEventAt>.Builder? history = null;
        foreach (var write in writes)
        {
            var session = SessionOf(write.PersistenceId) is not null;
            var broker = write.PersistenceId == global::Orchestrator.Actors.Approvals.ApprovalBroker.Name;
            if (!session && !broker) continue;
            var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
            var firstOpen = opens?.Count ?? 0;
            for (var i = 0; i < events.Count; i++)
            {
                var repr = events[i];
                var payload = repr.Payload is Tagged tagged ? tagged.Payload : repr.Payload;
                if (payload is ApprovalRequested or ApprovalAnswered or ApprovalTimedOut or GrantAdded)
                    (approvals ??= new()).Add(write.PersistenceId, repr.SequenceNr, payload, session);
                if (!session) continue;
                if (payload is CallEvent callEvent)
                    (history ??= ImmutableArray.CreateBuilder<HistoryEventAt>()).Add(new HistoryEventAt(write.PersistenceId, repr.SequenceNr, callEvent));
                var (opened, closed) = Classify(payload);
                if (opened is { } call)
                    (opens ??= ImmutableArray.CreateBuilder<CallOpened>()).Add(new CallOpened(call, write.PersistenceId, repr.SequenceNr, null));
                if (closed is not { } ended) continue;
                // Opened in this very write: the row is written closed (atomic with its first event).
                var index = opens is null ? -1 : IndexOf(opens, firstOpen, ended);
                if (index >= 0) opens![index] = opens[index] with { LastSequenceNr = repr.SequenceNr };
                else (closes ??= ImmutableArray.CreateBuilder<CallClosed>()).Add(new CallClosed(ended, write.PersistenceId, repr.SequenceNr));
            }
        }
        return opens is null && closes is null && approvals is null && history is null
            ? None
            : new CallDirectoryChanges(opens?.ToImmutable() ?? [], closes?.ToImmutable() ?? [])
            {
                Approvals = approvals?.Build() ?? ApprovalIndexChanges.None,
                History = history is null ? HistoryModelChanges.None : new HistoryModelChanges(history.ToImmutable()),
            };
    }

    /// <summary>The call an event opens and the call it ends (a call's first events and its terminal ones).</summary>
    public static (CallId? Opened, CallId? Closed) Classify(object evt) => evt switch
    {
        CallReceived r => (r.CallId, null),
        CallReceivedAndDecided d => (d.CallId, d.Completed is null ? null : d.CallId),
        CallCompleted c => (null, c.CallId),
        CallInterrupted i => (null, i.CallId),
        _ => (null, null),
    };

    private static int IndexOf(ImmutableArray<CallOpened>.Builder opens, int from, CallId call)
    {
        for (var i = opens.Count - 1; i >= from; i--)
            if (opens[i].Call == call) return i;
        return -1;
    }
}
