using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// An <see cref="ExecuteCall"/> on its way to a worker, straight from the session (see <see cref="WorkerDirectory"/>)
/// or through the supervisor. It names the requester (the worker answers it directly) and the supervisor, which sends
/// it again (<paramref name="Attempt"/> counts) or finally answers the requester itself if this message ends in dead
/// letters (the worker stopped or crashed meanwhile; the call was not started).
/// </summary>
public sealed record RunOnWorker(ExecuteCall Call, IActorRef Requester, IActorRef Supervisor, int Attempt = 0);

/// <summary>A worker's own note that one execution's task ended, with its result or its failure.</summary>
internal sealed record ExecutionEnded(CallId CallId, CommandResult? Result, Exception? Failure);
