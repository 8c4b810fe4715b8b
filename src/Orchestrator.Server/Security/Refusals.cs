using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Access;

namespace Orchestrator.Server.Security;

/// <summary>Answers a refused request and records the refusal (who, route, status, reason) in the refusal log.</summary>
public sealed class Refusals(ActorRegistry registry, TimeProvider clock)
{
    public IResult Refuse(HttpContext http, int status, string reason)
    {
        Record(http, status, reason);
        return HttpErrors.Error(status, reason);
    }

    public async Task WriteAsync(HttpContext http, int status, string reason)
    {
        Record(http, status, reason);
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        await http.Response.WriteAsJsonAsync(new ErrorBody(reason), OrchestratorServer.Json);
    }

    private void Record(HttpContext http, int status, string reason)
    {
        var who = http.Items.ContainsKey("orchestrator.principal") ? http.Principal().Name
            : $"unauthenticated {http.Connection.RemoteIpAddress}";
        if (registry.TryGet<RefusalLog>(out var log))
            log.Tell(new RecordRefusal(who, http.RouteName(), status, reason, clock.GetUtcNow()));
    }
}
