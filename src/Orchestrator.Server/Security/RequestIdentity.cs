using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Server.Security;

/// <summary>The authenticated principal of a request, set by <see cref="AccessControl"/> before any route runs.</summary>
public static class RequestIdentity
{
    private const string Key = "orchestrator.principal";

    public static Principal Principal(this HttpContext http) =>
        http.Items[Key] as Principal ?? throw new InvalidOperationException("the request was not authenticated");

    internal static void SetPrincipal(this HttpContext http, Principal principal) => http.Items[Key] = principal;

    /// <summary>The route as the access table and the refusal log name it (e.g. <c>GET /v1/calls/{id}</c>).</summary>
    public static string RouteName(this HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
            ? RouteAccessTable.Key(http.Request.Method, pattern)
            : RouteAccessTable.Key(http.Request.Method, http.Request.Path.Value ?? "/");

    /// <summary>
    /// Null when the principal may act for <paramref name="agent"/>; otherwise a recorded 403. Routes call this once
    /// they know whose call a request touches.
    /// </summary>
    public static IResult? RefuseUnlessActingFor(this HttpContext http, AgentId agent, RouteAction action)
    {
        var decision = AccessPolicy.Decide(http.Principal(), action, agent);
        return decision.IsAllowed ? null : http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden, decision.Reason);
    }
}
