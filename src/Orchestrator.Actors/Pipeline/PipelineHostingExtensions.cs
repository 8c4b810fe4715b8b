using Akka.Hosting;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Akka.Hosting extension that starts the call pipeline (needs WithOrchestratorPersistence for the journal).</summary>
public static class PipelineHostingExtensions
{
    /// <summary>
    /// Starts <c>/user/orchestrator</c> (<see cref="OrchestratorSupervisor"/>) with its <c>policy</c> and <c>sessions</c>
    /// children, registered in the <see cref="ActorRegistry"/> as <see cref="OrchestratorSupervisor"/>,
    /// <see cref="PolicyActor"/> and <see cref="SessionRouter"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrchestratorPipeline(this AkkaConfigurationBuilder builder,
        PolicySnapshot snapshot, AutomaticApprover? approver)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return builder.WithActors((system, registry) =>
        {
            var supervisor = system.ActorOf(OrchestratorSupervisor.Props(snapshot, approver, registry), OrchestratorSupervisor.Name);
            registry.Register<OrchestratorSupervisor>(supervisor);
        });
    }
}
