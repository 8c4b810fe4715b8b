using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A pipeline spec whose hosted system IS the TestKit system: Orchestrator's persistence on a temp SQLite journal plus
/// the call pipeline, configured by Akka.Hosting.TestKit. Actors are awaited from the ActorRegistry, never polled.
/// Override <see cref="Policies"/> / <see cref="Pipeline"/> for a spec class's catalog and options.
/// </summary>
public abstract class PipelineSpec(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected SqliteBackend Backend { get; } = new();

    protected virtual PolicyCatalog Policies => PolicyCatalog.Of(PipelinePolicy.Snapshot());

    protected virtual PipelineOptions Pipeline => PipelineOptions.Default;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder
        .WithOrchestratorPersistence(Backend.Options with { EventAssemblies = [typeof(TestThingHappened).Assembly] })
        .WithOrchestratorPipeline(Policies, Pipeline);

    /// <summary>Awaits the actor registered under <typeparamref name="TKey"/> (see <see cref="PipelineRegistry"/>).</summary>
    protected Task<IActorRef> RegisteredAsync<TKey>() => PipelineRegistry.WhenRegisteredAsync<TKey>(ActorRegistry, Patience);

    /// <summary>The <see cref="SessionRouter"/>.</summary>
    protected Task<IActorRef> SessionsAsync() => RegisteredAsync<SessionRouter>();

    /// <summary>Waits, by message, until every session found in the journal at start has recovered.</summary>
    protected async Task<RecoveryStatus> RecoveredAsync() =>
        await (await RegisteredAsync<SessionRecovery>()).Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Stops the TestKit system and starts a second host on the same journal, for the restarted phase of a spec about
    /// what survives a restart (a journal written by one system, recovered by the next). Dispose it before the spec ends.
    /// </summary>
    protected async Task<PipelineTestHost> RestartAsync(PolicyCatalog? policies = null, PipelineOptions? pipeline = null)
    {
        await Sys.Terminate();
        SqliteConnection.ClearAllPools();
        return await PipelineTestHost.StartAsync(Backend.Options, policies ?? Policies, pipeline ?? Pipeline);
    }

    // The journal file is deleted only once the system using it has terminated (the host is stopped after this).
    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        await Sys.Terminate();
        SqliteConnection.ClearAllPools();
        Backend.Dispose();
    }
}
