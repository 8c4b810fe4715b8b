using Orchestrator.Core.Access;

namespace Orchestrator.Server.Security;

/// <summary>
/// The security middlewares, in order: Host (421), Origin (403), JSON on writes (415), authentication (401 with
/// <c>WWW-Authenticate: Bearer</c>), authorization by the <see cref="RouteAccessTable"/> (403). Each refusal is
/// recorded. A request without <c>Authorization</c> may authenticate with the console's cookie instead
/// (<see cref="ConsoleCookie"/>; its writes need the Origin and anti-CSRF header). Routes then check whose calls a request touches (<see cref="RequestIdentity.RefuseUnlessActingFor"/>).
/// </summary>
public static class AccessControl
{
    public static void Use(WebApplication app, ServerOptions options)
    {
        var refusals = app.Services.GetRequiredService<Refusals>();
        var tokens = app.Services.GetRequiredService<TokenSource>();
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (HostCheck.Problem(request.Headers.Host, http.Connection.LocalPort, options.AllowedHosts) is { } host)
            {
                await refusals.WriteAsync(http, StatusCodes.Status421MisdirectedRequest, host);
                return;
            }
            if (OriginCheck.Problem(request.Headers.Origin.FirstOrDefault(), request.Headers["Sec-Fetch-Site"].FirstOrDefault(),
                    request.Scheme, request.Headers.Host) is { } origin)
            {
                await refusals.WriteAsync(http, StatusCodes.Status403Forbidden, origin);
                return;
            }
            if (ContentTypeCheck.Problem(request.Method, request.ContentType, request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0) is { } type)
            {
                await refusals.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, type);
                return;
            }

            var endpoint = http.GetEndpoint();
            // Not one of ours (no route matched, or ASP.NET's own 405 endpoint): nothing to protect, let it answer.
            if (endpoint is not RouteEndpoint { RoutePattern.RawText: { } pattern } || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is null)
            {
                await next(http);
                return;
            }
            var action = RouteAccessTable.Find(request.Method, pattern);
            if (action is null)
            {
                await refusals.WriteAsync(http, StatusCodes.Status403Forbidden, $"{http.RouteName()} has no entry in the route access table");
                return;
            }
            if (action == RouteAction.Public)
            {
                await next(http);
                return;
            }

            var (book, broken) = tokens.Current();
            if (broken is not null)
            {
                await refusals.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, broken);
                return;
            }
            var authorization = request.Headers.Authorization.FirstOrDefault();
            if (string.IsNullOrEmpty(authorization) && ConsoleCookie.TokenOf(request) is { } cookieToken)
            {
                if (ConsoleCookie.CsrfProblem(request, cookieToken) is { } csrf)
                {
                    await refusals.WriteAsync(http, StatusCodes.Status403Forbidden, csrf);
                    return;
                }
                authorization = $"{Authenticator.Scheme} {cookieToken}";
            }
            var (principal, problem) = Authenticator.Authenticate(authorization, book, tokens.ServerSecretHash);
            if (principal is null)
            {
                await refusals.WriteAsync(http, StatusCodes.Status401Unauthorized, problem ?? "a bearer token is required");
                return;
            }
            http.SetPrincipal(principal);
            http.User = new System.Security.Claims.ClaimsPrincipal(new Mcp.PrincipalIdentity(principal));
            var decision = AccessPolicy.Decide(principal, action.Value);
            if (!decision.IsAllowed)
            {
                await refusals.WriteAsync(http, StatusCodes.Status403Forbidden, decision.Reason);
                return;
            }
            await next(http);
        });
    }
}
