using Akka.Actor;

namespace Orchestrator.Actors.Pipeline;

/// <summary>The collaborators every session and call driver talks to, created once by the supervisor.</summary>
public sealed record SessionServices(
    IActorRef Policy,
    IActorRef Approvals,
    IActorRef CallIndex,
    PipelineOptions Options);
