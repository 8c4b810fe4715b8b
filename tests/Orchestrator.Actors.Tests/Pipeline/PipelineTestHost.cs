using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// The restarted phase of a restart spec, and nothing else: a second host with Orchestrator's persistence and the call
/// pipeline on the journal the spec's TestKit system wrote (see <see cref="PipelineSpec.RestartAsync"/>). Every other
/// pipeline spec runs on the TestKit system itself (<see cref="PipelineSpec"/>).
/// </summary>
public sealed class PipelineTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineTestHost(IHost host, IActorRef sessions)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Sessions = sessions;
        Registry = host.Services.GetRequiredService<ActorRegistry>();
    }

    public ActorRegistry Registry { get; }

    public IActorRef Approvals => Registry.Get<Orchestrator.Actors.Approvals.ApprovalBroker>();

    public IActorRef Calls => Registry.Get<CallIndex>();

    /// <summary>Waits, by message, until every session found in the journal at start has recovered.</summary>
    public async Task<RecoveryStatus> RecoveredAsync()
    {
        var recovery = await PipelineRegistry.WhenRegisteredAsync<SessionRecovery>(Registry, TimeSpan.FromSeconds(30));
        return await recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, TimeSpan.FromSeconds(60));
    }

    public ActorSystem System { get; }

    /// <summary>The <see cref="SessionRouter"/> from the ActorRegistry.</summary>
    public IActorRef Sessions { get; }

    public static async Task<PipelineTestHost> StartAsync(PersistenceOptions options, PolicyCatalog policies, PipelineOptions pipeline)
    {
        var withTestEvents = options with { EventAssemblies = [typeof(TestThingHappened).Assembly] };
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("orchestrator", builder => builder
                .WithOrchestratorPersistence(withTestEvents)
                .WithOrchestratorPipeline(policies, pipeline)))
            .Build();
        await host.StartAsync();
        var sessions = await PipelineRegistry.WhenRegisteredAsync<SessionRouter>(host.Services.GetRequiredService<ActorRegistry>(), TimeSpan.FromSeconds(30));
        return new PipelineTestHost(host, sessions);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
