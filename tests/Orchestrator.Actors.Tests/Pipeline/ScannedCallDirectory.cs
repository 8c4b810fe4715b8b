using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A call directory made by scanning a journal once (what the journal's own directory holds for it), counting the
/// lookups made of it: the specs prove which reads and claims went to the directory.
/// </summary>
public sealed class ScannedCallDirectory : ICallDirectory
{
    private readonly Dictionary<CallId, CallPlace> _places;
    private int _lookups;

    private ScannedCallDirectory(Dictionary<CallId, CallPlace> places) => _places = places;

    /// <summary>Calls looked up (one by one or in batches) so far.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    /// <summary>A directory holding just these places (for the call index's own specs).</summary>
    public static ScannedCallDirectory Of(IReadOnlyDictionary<CallId, CallPlace> places) => new(new Dictionary<CallId, CallPlace>(places));

    public static async Task<ScannedCallDirectory> ScanAsync(ActorSystem system)
    {
        var journal = OrchestratorReadJournal.Of(system);
        var materializer = system.Materializer();
        var places = new Dictionary<CallId, CallPlace>();
        var ids = await journal.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), materializer);
        foreach (var persistenceId in ids.Where(id => id.StartsWith("session-", StringComparison.Ordinal)))
        {
            var session = new SessionId(persistenceId["session-".Length..]);
            var events = await journal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), materializer);
            foreach (var envelope in events)
            {
                if (envelope.Event is not CallEvent evt) continue;
                var place = places.GetValueOrDefault(evt.CallId) ?? new CallPlace(session, envelope.SequenceNr, null);
                places[evt.CallId] = evt is CallCompleted or CallInterrupted or CallReceivedAndDecided { Completed: not null } ? place with { LastSequenceNr = envelope.SequenceNr } : place;
            }
        }
        return new ScannedCallDirectory(places);
    }

    public Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(_places.GetValueOrDefault(call));
    }

    public Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _lookups, calls.Count);
        return Task.FromResult<IReadOnlyDictionary<CallId, CallPlace>>(
            calls.Where(_places.ContainsKey).Distinct().ToDictionary(c => c, c => _places[c]));
    }

    public Task<IReadOnlyList<SessionId>> SessionsWithOpenCallsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionId>>([.. _places.Values.Where(p => p.IsOpen).Select(p => p.Session).Distinct()]);

    public async IAsyncEnumerable<CallId> AllCallIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var id in _places.Keys) yield return id;
    }
}
