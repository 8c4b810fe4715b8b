using System.Collections.Immutable;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Events;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A real host with Orchestrator's persistence (SQLite in a temp dir) and the call pipeline.</summary>
public sealed class PipelineTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineTestHost(IHost host, IActorRef sessions)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Sessions = sessions;
    }

    public ActorSystem System { get; }

    /// <summary>The <see cref="SessionRouter"/> from the ActorRegistry.</summary>
    public IActorRef Sessions { get; }

    public static async Task<PipelineTestHost> StartAsync(PersistenceOptions options, PolicySnapshot snapshot, AutomaticApprover? approver = null)
    {
        var withTestEvents = options with { EventAssemblies = [typeof(TestThingHappened).Assembly] };
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("orchestrator", builder => builder
                .WithOrchestratorPersistence(withTestEvents)
                .WithOrchestratorPipeline(snapshot, approver)))
            .Build();
        await host.StartAsync();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IActorRef? sessions;
        while (!registry.TryGet<SessionRouter>(out sessions) && DateTime.UtcNow < deadline) await Task.Delay(20);
        if (sessions is null)
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var sup = await system.ActorSelection("/user/orchestrator").ResolveOne(TimeSpan.FromSeconds(5)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Path.ToString() : t.Exception!.InnerException!.Message);
            var supReg = registry.TryGet<OrchestratorSupervisor>(out var s) ? s.Path.ToString() : "unregistered";
            throw new TimeoutException($"SessionRouter never registered; supervisor: {sup}; registry: {supReg}");
        }
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

/// <summary>A policy for the specs: a temp project, no managed or user layers, <c>curl</c> denied.</summary>
public static class PipelinePolicy
{
    public static readonly string Project = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "orchestrator-specs", "pipeline-project")).FullName;

    public static PolicySnapshot Snapshot() => PolicyLoader.Load(new PolicyLoadOptions(Project)
    {
        HomeDirectory = Path.GetTempPath(),
        ManagedSettingsPath = null,
        UserSettingsPath = null,
        DenyRules = ["Bash(curl:*)"],
        AskRules = ["Bash(git push)"],
    });

    public static ToolCall Bash(string session, string command, string? id = null) =>
        new(new CallId(id ?? Guid.NewGuid().ToString("n")), ToolNames.Bash,
            ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command), Project,
            new AgentId("agent-1"), new SessionId(session));
}
