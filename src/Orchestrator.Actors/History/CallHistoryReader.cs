using System.Reflection;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.History;

/// <summary>Reads one call's recorded events, in journal order, through Akka.Persistence.Query (the journal is the truth, not memory).</summary>
public sealed class CallHistoryReader(ActorSystem system)
{
    public async Task<IReadOnlyList<RecordedCallEvent>> EventsOfAsync(SessionId session, CallId call, CancellationToken cancellationToken = default)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>("akka.persistence.query.journal.sql");
        var envelopes = await journal
            .CurrentEventsByPersistenceId(AgentSessionActor.PersistenceIdOf(session), 0, long.MaxValue)
            .Where(e => e.Event is CallEvent c && c.CallId == call)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. envelopes.Select(e => new RecordedCallEvent(e.SequenceNr, ManifestOf(e.Event), (CallEvent)e.Event))];
    }

    public static string ManifestOf(object evt) =>
        evt.GetType().GetCustomAttribute<EventManifestAttribute>()?.Manifest ?? evt.GetType().Name;
}

/// <summary>One recorded event of a call: its place in the session's journal, its stable type name and the event.</summary>
public sealed record RecordedCallEvent(long SequenceNr, string Type, CallEvent Event);
