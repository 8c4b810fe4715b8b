using System.Collections.Concurrent;
using Akka.Actor;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// The execution worker of each kind that is running now, shared with the sessions so a run goes straight to its
/// worker (one message) instead of through the sandbox supervisor and the worker's backoff supervisor. A worker enters
/// itself when it starts and leaves when it stops (crash included); while none is in, runs go through the
/// <see cref="SandboxSupervisor"/>, which redelivers or answers them as not started.
/// </summary>
public sealed class WorkerDirectory
{
    private readonly ConcurrentDictionary<WorkerKind, IActorRef> _workers = new();

    public IActorRef? Current(WorkerKind kind) => _workers.TryGetValue(kind, out var worker) ? worker : null;

    internal void Enter(WorkerKind kind, IActorRef worker) => _workers[kind] = worker;

    /// <summary>Only the worker that is in leaves: a replacement that entered meanwhile stays.</summary>
    internal void Leave(WorkerKind kind, IActorRef worker) => _workers.TryRemove(KeyValuePair.Create(kind, worker));
}
