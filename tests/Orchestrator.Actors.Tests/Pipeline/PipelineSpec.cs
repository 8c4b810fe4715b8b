using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A pipeline spec whose hosted system IS the TestKit system: Orchestrator's persistence on a temp SQLite journal plus
/// the call pipeline, configured by Akka.Hosting.TestKit. Actors are awaited from the ActorRegistry, never polled.
/// Override <see cref="Policies"/> / <see cref="Pipeline"/> for a spec class's catalog and options.
/// </summary>
public abstract class PipelineSpec(ITestOutputHelper output) : JournalSpec<SqliteBackend>(new SqliteBackend(), output)
{
    protected virtual PolicyCatalog Policies => PolicyCatalog.Of(PipelinePolicy.Snapshot());

    protected virtual PipelineOptions Pipeline => PipelineOptions.Default;

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        base.ConfigureAkka(builder, provider);
        builder.WithOrchestratorPipeline(Policies, Pipeline);
    }

    /// <summary>Awaits the actor registered under <typeparamref name="TKey"/> (see <see cref="PipelineRegistry"/>).</summary>
    protected Task<IActorRef> RegisteredAsync<TKey>() => PipelineRegistry.WhenRegisteredAsync<TKey>(ActorRegistry, Patience);

    /// <summary>The <see cref="SessionRouter"/>.</summary>
    protected Task<IActorRef> SessionsAsync() => RegisteredAsync<SessionRouter>();

    /// <summary>Waits, by message, until every session found in the journal at start has recovered.</summary>
    protected async Task<RecoveryStatus> RecoveredAsync() =>
        await (await RegisteredAsync<SessionRecovery>()).Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, TimeSpan.FromSeconds(60));

    /// <summary>
    /// A throwaway writer (<see cref="TestEventLog"/>) under <paramref name="persistenceId"/>, as a crashed server left
    /// its journal — made once this system's start-up recovery has ended: a listing that came after a write would wake
    /// the session while the writer still writes (a second writer of one journal, which no server has) and finish its
    /// calls before the spec looks.
    /// </summary>
    protected async Task<IActorRef> ThrowawayWriterAsync(string persistenceId)
    {
        var recovered = await RecoveredAsync();
        Assert.True(recovered is { Done: true, Failure: null }, $"the start-up recovery before the throwaway writer: {recovered}");
        return Sys.ActorOf(TestEventLog.Props(persistenceId));
    }

    /// <summary>Appends <paramref name="events"/> under <paramref name="persistenceId"/> with a <see cref="ThrowawayWriterAsync"/>, then stops it.</summary>
    protected async Task WriteAndStopAsync(string persistenceId, IEnumerable<object> events)
    {
        var writer = await ThrowawayWriterAsync(persistenceId);
        foreach (var evt in events)
            await writer.Ask<Appended>(new Append(evt, []), Patience);
        Watch(writer);
        writer.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(writer, Patience);
    }

    /// <summary>
    /// Stops the TestKit system and starts a second host on the same journal, for the restarted phase of a spec about
    /// what survives a restart (a journal written by one system, recovered by the next). Dispose it before the spec ends.
    /// </summary>
    protected async Task<PipelineTestHost> RestartAsync(PolicyCatalog? policies = null, PipelineOptions? pipeline = null)
    {
        await StopTestKitSystemAsync();
        return await PipelineTestHost.StartAsync(Backend.Options, policies ?? Policies, pipeline ?? Pipeline);
    }
}
