using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.History;

/// <summary>Reads one call's recorded events, in journal order, through Akka.Persistence.Query (the journal is the truth, not memory).</summary>
public sealed class CallHistoryReader(ActorSystem system)
{
    public async Task<IReadOnlyList<RecordedCallEvent>> EventsOfAsync(SessionId session, CallId call, CancellationToken cancellationToken = default)
    {
        var journal = OrchestratorReadJournal.Of(system);
        var envelopes = await journal
            .CurrentEventsByPersistenceId(AgentSessionActor.PersistenceIdOf(session), 0, long.MaxValue)
            .Where(e => e.Event is CallEvent c && c.CallId == call)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. envelopes.Select(e => new RecordedCallEvent(e.SequenceNr, ManifestOf(e.Event), (CallEvent)e.Event))];
    }

    /// <summary>The output a call's run recorded with its end (read from the journal), or null when it recorded none.</summary>
    public async Task<CallOutput?> RecordedOutputAsync(SessionId session, CallId call, CancellationToken cancellationToken = default) =>
        (await EventsOfAsync(session, call, cancellationToken).ConfigureAwait(false))
            .Select(e => e.Event).OfType<ExecutionFinished>().Select(f => CallOutput.From(f.Result)).FirstOrDefault(o => o is not null);

    /// <summary>The manifest the journal stored the event under, from the serializer that wrote it.</summary>
    private string ManifestOf(object evt) => Akka.Serialization.Serialization.ManifestFor(system.Serialization.FindSerializerFor(evt), evt);
}

/// <summary>One recorded event of a call: its place in the session's journal, its stable type name and the event.</summary>
public sealed record RecordedCallEvent(long SequenceNr, string Type, CallEvent Event);
