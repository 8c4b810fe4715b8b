using Akka.Actor;
using Akka.Hosting;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Waits, by message, for a pipeline actor in the <see cref="ActorRegistry"/>. The <see cref="OrchestratorSupervisor"/>
/// is registered while the host starts and registers the stages in its constructor, so once it has answered an
/// <see cref="Identify"/> they are all there. <see cref="ActorRegistry.GetAsync{TKey}"/> alone (Akka.Hosting 1.5.74)
/// can miss a registration made between its check and the moment it adds its waiter, and then waits until cancelled.
/// </summary>
public static class PipelineRegistry
{
    public static async Task<IActorRef> WhenRegisteredAsync<TKey>(ActorRegistry registry, TimeSpan patience)
    {
        if (registry.TryGet<TKey>(out var registered)) return registered;
        await registry.Get<OrchestratorSupervisor>().Ask<ActorIdentity>(new Identify(typeof(TKey).Name), patience).ConfigureAwait(false);
        return registry.Get<TKey>();
    }
}
