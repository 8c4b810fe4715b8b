using System.Runtime.CompilerServices;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A call directory holding given places, counting the lookups made of it (the call index's own specs).</summary>
public sealed class FixedCallDirectory(IReadOnlyDictionary<CallId, CallPlace> places) : ICallDirectory
{
    private int _lookups;

    /// <summary>A directory of a journal where nothing was recorded.</summary>
    public static FixedCallDirectory Empty => new(new Dictionary<CallId, CallPlace>());

    /// <summary>Calls looked up (one by one or in batches) so far.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    public Task<CallPlace?> FindAsync(CallId call, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(places.GetValueOrDefault(call));
    }

    public Task<IReadOnlyDictionary<CallId, CallPlace>> FindManyAsync(IReadOnlyCollection<CallId> calls, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _lookups, calls.Count);
        return Task.FromResult<IReadOnlyDictionary<CallId, CallPlace>>(
            calls.Where(places.ContainsKey).Distinct().ToDictionary(c => c, c => places[c]));
    }

    public Task<IReadOnlyList<SessionId>> SessionsToWakeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionId>>([.. places.Values.Where(p => p.IsOpen).Select(p => p.Session).Distinct()]);

    public async IAsyncEnumerable<CallId> AllCallIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var id in places.Keys) yield return id;
    }
}
