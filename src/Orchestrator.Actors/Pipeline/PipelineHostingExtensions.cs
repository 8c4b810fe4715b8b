using Akka.Hosting;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Akka.Hosting extension that starts the call pipeline (needs WithOrchestratorPersistence for the journal).</summary>
public static class PipelineHostingExtensions
{
    /// <summary>
    /// Starts <c>/user/orchestrator</c> (<see cref="OrchestratorSupervisor"/>) and its children, registered in the
    /// <see cref="ActorRegistry"/> as <see cref="OrchestratorSupervisor"/>, <see cref="PolicyActor"/>,
    /// <see cref="CallIndex"/>, <see cref="Approvals.ApprovalBroker"/>, <see cref="SessionRouter"/> and <see cref="SessionRecovery"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithOrchestratorPipeline(this AkkaConfigurationBuilder builder,
        PolicySnapshot snapshot, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return builder.WithOrchestratorPipeline(PolicyCatalog.Of(snapshot), options);
    }

    /// <summary>The pipeline judging each call by its workspace's policy in <paramref name="policies"/>.</summary>
    public static AkkaConfigurationBuilder WithOrchestratorPipeline(this AkkaConfigurationBuilder builder,
        PolicyCatalog policies, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithActors((system, registry) =>
        {
            var supervisor = system.ActorOf(OrchestratorSupervisor.Props(policies, options, registry), OrchestratorSupervisor.Name);
            registry.Register<OrchestratorSupervisor>(supervisor);
        });
    }

    public static AkkaConfigurationBuilder WithOrchestratorPipeline(this AkkaConfigurationBuilder builder,
        PolicySnapshot snapshot, AutomaticApprover? approver) =>
        builder.WithOrchestratorPipeline(snapshot, PipelineOptions.Default with { Approver = approver });
}
