using System.Collections.Frozen;
using Orchestrator.Core.Access;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server.WebConsole;

/// <summary>
/// The operator's web console: <c>GET /</c> and <c>GET /console/{file}</c> (embedded; nothing is loaded from another
/// origin, which the CSP forbids), and its session: <c>POST /v1/session</c> takes a token and sets the console cookie
/// (401 for a wrong token, 403 for an agent's), <c>GET /v1/session</c> says who is signed in and hands the page its
/// anti-CSRF value, <c>DELETE /v1/session</c> clears the cookie. See <see cref="ConsoleCookie"/>.
/// </summary>
internal static class ConsoleRoutes
{
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = new Dictionary<string, (byte[], string)>
    {
        ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
        ["app.js"] = (Read("app.js"), "text/javascript; charset=utf-8"),
        ["views.js"] = (Read("views.js"), "text/javascript; charset=utf-8"),
        ["replay.js"] = (Read("replay.js"), "text/javascript; charset=utf-8"),
        ["charts.js"] = (Read("charts.js"), "text/javascript; charset=utf-8"),
        ["app.css"] = (Read("app.css"), "text/css; charset=utf-8"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html"));
        app.MapGet("/console/{file}", (string file, HttpContext http) => Serve(http, file));

        app.MapPost("/v1/session", async (HttpContext http, TokenSource tokens, Refusals refusals) =>
        {
            var (request, error) = await ReadJsonAsync<LoginRequest>(http);
            if (error is not null) return error;
            if (string.IsNullOrWhiteSpace(request!.Token) || request.Token.Length > 512)
                return Error(StatusCodes.Status400BadRequest, "token is required (at most 512 characters)");
            var (book, broken) = tokens.Current();
            if (broken is not null) return Error(StatusCodes.Status503ServiceUnavailable, broken);
            var token = request.Token.Trim();
            var (principal, problem) = Authenticator.Authenticate($"{Authenticator.Scheme} {token}", book, tokens.ServerSecretHash);
            if (principal is null) return refusals.Refuse(http, StatusCodes.Status401Unauthorized, problem ?? "the token is not valid");
            if (principal.Role == Role.Agent)
                return refusals.Refuse(http, StatusCodes.Status403Forbidden, $"{principal.Name} is an agent's token; the console is for operators and admins");
            ConsoleCookie.Set(http, token);
            return Results.Json(new SessionView(principal.Name, principal.Role.Name(), ConsoleCookie.CsrfFor(token)), OrchestratorServer.Json);
        });

        app.MapGet("/v1/session", (HttpContext http) =>
        {
            var principal = http.Principal();
            var cookie = http.Request.Headers.Authorization.Count == 0 ? ConsoleCookie.TokenOf(http.Request) : null;
            return Results.Json(new SessionView(principal.Name, principal.Role.Name(), cookie is null ? null : ConsoleCookie.CsrfFor(cookie)), OrchestratorServer.Json);
        });

        app.MapDelete("/v1/session", (HttpContext http) =>
        {
            ConsoleCookie.Clear(http);
            return Results.Json(new { signedOut = true }, OrchestratorServer.Json);
        });
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var found)) return Error(StatusCodes.Status404NotFound, $"no console file {file}");
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return Results.Bytes(found.Content, found.Type);
    }

    private static byte[] Read(string file)
    {
        using var stream = typeof(ConsoleRoutes).Assembly.GetManifestResourceStream($"Orchestrator.Server.WebConsole.{file}")
            ?? throw new InvalidOperationException($"the console file {file} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>The body of <c>POST /v1/session</c>.</summary>
public sealed class LoginRequest
{
    public string? Token { get; set; }
}

/// <summary>Who is signed in; <c>csrf</c> (cookie sessions only) goes in <see cref="ConsoleCookie.CsrfHeader"/> on writes.</summary>
public sealed record SessionView(string Name, string Role, string? Csrf);
