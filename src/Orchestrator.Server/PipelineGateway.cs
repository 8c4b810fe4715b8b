using Akka.Actor;
using Akka.Hosting;

namespace Orchestrator.Server;

/// <summary>Asks the pipeline's registered actors, turning "not started yet" and timeouts into 503s.</summary>
public sealed class PipelineGateway(ActorRegistry registry, ServerOptions options)
{
    public async Task<(object? Answer, IResult? Error)> AskAsync<TActor>(object message, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (!registry.TryGet<TActor>(out var actor)) return (null, HttpErrors.NotReady("the call pipeline"));
        try
        {
            return (await actor.Ask<object>(message, timeout ?? options.AskTimeout, cancellationToken).ConfigureAwait(false), null);
        }
        catch (AskTimeoutException)
        {
            return (null, HttpErrors.Unavailable(
                $"the call pipeline did not answer in time ({typeof(TActor).Name} is restarting or overloaded; /readyz names the stages that cannot serve)"));
        }
        catch (Actors.Journal.JournalIntegrityException closed)
        {
            // The session's journal failed verification: it is closed, and the answer says why.
            return (null, HttpErrors.Error(StatusCodes.Status503ServiceUnavailable, closed.Message));
        }
    }
}
