using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The call pipeline hosted in this process on a data directory no server holds (<c>orchestrator run</c>): the same
/// Akka hosting as <c>serve</c> — the sealed SQLite journal with its start checks and the pipeline with its policy
/// catalog, sandbox and slots — under the data directory's one-writer lock, so the call is in the history like any
/// other. Disposing stops the pipeline and releases the lock.
/// </summary>
internal sealed class LocalPipeline : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DataDirectoryLock _lock;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    private LocalPipeline(IHost host, DataDirectoryLock dataLock, IActorRef sessions, IActorRef approvals, WorkspacePolicy policy)
    {
        _host = host;
        _lock = dataLock;
        Sessions = sessions;
        Approvals = approvals;
        Policy = policy;
    }

    public IActorRef Sessions { get; }
    public IActorRef Approvals { get; }

    /// <summary>The policy of the workspace the call runs in (what the pipeline's policy stage judges it with).</summary>
    public WorkspacePolicy Policy { get; }

    /// <exception cref="StartupRefusedException">The data directory is held by another process, or its journal must not be opened.</exception>
    public static async Task<LocalPipeline> StartAsync(string dataDirectory, PolicyLoadOptions policy, PipelineOptions options, CancellationToken ct)
    {
        var data = DataDirectory.Ensure(dataDirectory);
        var dataLock = DataDirectoryLock.Acquire(data);
        try
        {
            var persistence = PersistenceOptions.Sqlite(data);
            persistence = persistence with { CheckedMark = JournalOpening.Check(persistence) };
            var policies = new PolicyCatalog(OrchestratorServer.HidingDataDirectory(policy, data));
            var host = CommandActorHost.Build(persistence, b => b.WithOrchestratorPipeline(policies, options));
            await host.StartAsync(ct).ConfigureAwait(false);
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var sessions = await PipelineRegistry.WhenRegisteredAsync<SessionRouter>(registry, StartPatience).ConfigureAwait(false);
            var approvals = await PipelineRegistry.WhenRegisteredAsync<ApprovalBroker>(registry, StartPatience).ConfigureAwait(false);
            return new LocalPipeline(host, dataLock, sessions, approvals, policies.Default);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
            _lock.Dispose();
        }
    }
}
