using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.History;

/// <summary>
/// Reads one call's recorded events, in journal order, through Akka.Persistence.Query (the journal is the truth, not
/// memory). The call directory says where the call's events are: only that range of its session's journal is read
/// (first event to terminal event), never the whole session.
/// </summary>
/// <param name="directory">Null: the journal's own (<see cref="CallDirectory"/>).</param>
public sealed class CallHistoryReader(ActorSystem system, ICallDirectory? directory = null)
{
    private readonly ICallDirectory _directory = directory ?? CallDirectory.Get(system);

    public async Task<IReadOnlyList<RecordedCallEvent>> EventsOfAsync(SessionId session, CallId call, CancellationToken cancellationToken = default)
    {
        var place = await _directory.FindAsync(call, cancellationToken).ConfigureAwait(false);
        if (place is null || place.Session != session) return [];
        var journal = await OrchestratorReadJournal.OfAsync(system, cancellationToken).ConfigureAwait(false);
        var envelopes = await journal
            .CurrentEventsInRange(AgentSessionActor.PersistenceIdOf(session), place.FirstSequenceNr, place.LastSequenceNr ?? long.MaxValue)
            .Where(e => e.Event is CallEvent c && c.CallId == call)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. envelopes.Select(e => new RecordedCallEvent(e.SequenceNr, ManifestOf(e.Event), (CallEvent)e.Event))];
    }

    /// <summary>The output a call's run recorded with its end (read from the journal), or null when it recorded none.</summary>
    public async Task<CallOutput?> RecordedOutputAsync(SessionId session, CallId call, CancellationToken cancellationToken = default) =>
        OutputOf(await EventsOfAsync(session, call, cancellationToken).ConfigureAwait(false));

    /// <summary>The call as its recorded events make it (and its recorded output); null when the session recorded none.</summary>
    public async Task<RecordedCall?> RecordedCallAsync(SessionId session, CallId call, CancellationToken cancellationToken = default)
    {
        var events = await EventsOfAsync(session, call, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0) return null;
        var state = events.Aggregate(CallState.New(call), (s, e) => CallLifecycle.Apply(s, e.Event));
        return new RecordedCall(state, OutputOf(events));
    }

    private static CallOutput? OutputOf(IEnumerable<RecordedCallEvent> events) =>
        events.Select(e => e.Event).OfType<ExecutionFinished>().Select(f => CallOutput.From(f.Result)).FirstOrDefault(o => o is not null);

    /// <summary>
    /// The event's stable type name: its [EventManifest], whose JSON shape the API shows, whatever encoding the journal
    /// stored it in (<see cref="StoredEncoding"/>).
    /// </summary>
    private string ManifestOf(object evt) => system.Serialization.FindSerializerFor(evt) is OrchestratorEventSerializer events
        ? events.Registry.ManifestFor(evt.GetType())
        : Akka.Serialization.Serialization.ManifestFor(system.Serialization.FindSerializerFor(evt), evt);
}

/// <summary>One recorded event of a call: its place in the session's journal, its stable type name and the event.</summary>
public sealed record RecordedCallEvent(long SequenceNr, string Type, CallEvent Event);

/// <summary>A call read back from its recorded events: its state and the output its run recorded (null: none).</summary>
public sealed record RecordedCall(CallState State, CallOutput? Output);
