using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Server;

/// <summary>
/// The HTTP front (127.0.0.1 only). Routes:
/// <c>POST /v1/calls</c> (201 new, 200 resubmitted id, 429 + Retry-After when the ingress queue is full),
/// <c>GET /v1/calls/{sessionId}/{callId}</c> (200/404), <c>POST /v1/check</c> (verdict only, not recorded),
/// <c>GET /healthz</c>, <c>GET /readyz</c>, <c>GET /openapi.json</c>. Errors are <c>{"error": "…"}</c>.
/// </summary>
public static class OrchestratorServer
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication BuildApp(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = PolicyLoader.Load(options.Policy);
        var evaluator = new PolicyEvaluator(snapshot);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddAkka("orchestrator", b => b
            .WithOrchestratorPersistence(PersistenceOptions.Sqlite(dataDirectory))
            .WithOrchestratorPipeline(snapshot, options.Approver));
        builder.Services.AddSingleton<Ingress>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Ingress>());

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Json(new { status = "up" }, Json));
        app.MapGet("/readyz", (ActorRegistry registry) =>
            registry.TryGet<OrchestratorSupervisor>(out _) && registry.TryGet<SessionRouter>(out _)
                ? Results.Json(new { status = "ready" }, Json)
                : Error(StatusCodes.Status503ServiceUnavailable, "the actor system or journal is not ready yet"));
        app.MapGet("/openapi.json", () =>
        {
            using var stream = typeof(OrchestratorServer).Assembly.GetManifestResourceStream("Orchestrator.Server.openapi.json")!;
            using var reader = new StreamReader(stream);
            return Results.Text(reader.ReadToEnd(), "application/json");
        });

        app.MapPost("/v1/check", async (HttpContext http) =>
        {
            var (request, error) = await ReadAsync(http, requireIds: false);
            if (error is not null) return error;
            var call = ToCall(request!, "check");
            return Results.Json(VerdictView.From(evaluator.Evaluate(call, sandboxed: false)), Json);
        });

        app.MapPost("/v1/calls", async (HttpContext http, Ingress ingress) =>
        {
            var (request, error) = await ReadAsync(http, requireIds: true);
            if (error is not null) return error;
            var intent = request!.Intent is "decide-only" ? CallIntent.DecideOnly : CallIntent.Execute;
            var call = ToCall(request, null);
            if (!ingress.TrySubmit(new SubmitCall(call, intent), out var reply, out var retryAfter))
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Error(StatusCodes.Status429TooManyRequests, $"too many calls queued for agent {call.Agent}; retry later");
            }
            object answer;
            try { answer = await reply; }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException or InvalidOperationException)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, $"the call pipeline did not answer: {e.Message}");
            }
            var location = $"/v1/calls/{Uri.EscapeDataString(call.Session.Value)}/{Uri.EscapeDataString(call.Id.Value)}";
            return answer switch
            {
                CallAccepted a => WithLocation(http, location,
                    Results.Json(CallView.From(a.State), Json, statusCode: StatusCodes.Status201Created)),
                CallAlreadyExists e => Results.Json(CallView.From(e.State), Json),
                CallNotAccepted n => Error(StatusCodes.Status503ServiceUnavailable, $"call {n.CallId} not accepted: {n.Reason}"),
                _ => Error(StatusCodes.Status500InternalServerError, $"unexpected answer {answer.GetType().Name}"),
            };
        });

        app.MapGet("/v1/calls/{sessionId}/{callId}", async (string sessionId, string callId, ActorRegistry registry, CancellationToken ct) =>
        {
            if (!registry.TryGet<SessionRouter>(out var sessions))
                return Error(StatusCodes.Status503ServiceUnavailable, "the call pipeline is not ready yet");
            object answer;
            try { answer = await sessions.Ask<object>(new GetCall(new SessionId(sessionId), new CallId(callId)), options.AskTimeout, ct); }
            catch (AskTimeoutException) { return Error(StatusCodes.Status503ServiceUnavailable, "the call pipeline did not answer"); }
            return answer switch
            {
                CallSnapshot s => Results.Json(CallView.From(s.State), Json),
                CallNotFound => Error(StatusCodes.Status404NotFound, $"no call {callId} in session {sessionId}"),
                _ => Error(StatusCodes.Status500InternalServerError, $"unexpected answer {answer.GetType().Name}"),
            };
        });
        return app;
    }

    /// <summary>The address the started app listens on (useful with port 0).</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private static IResult WithLocation(HttpContext http, string location, IResult result)
    {
        http.Response.Headers.Location = location;
        return result;
    }

    private static IResult Error(int status, string message) => Results.Json(new ErrorBody(message), Json, statusCode: status);

    private static ToolCall ToCall(CallRequest r, string? defaultIds) => new(
        new CallId(string.IsNullOrWhiteSpace(r.Id) ? Guid.NewGuid().ToString("n") : r.Id),
        r.Tool!,
        (r.Input ?? []).ToImmutableDictionary(),
        r.Cwd!,
        new AgentId(r.AgentId ?? defaultIds!),
        new SessionId(r.SessionId ?? defaultIds!));

    private static async Task<(CallRequest? Request, IResult? Error)> ReadAsync(HttpContext http, bool requireIds)
    {
        CallRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CallRequest>(http.Request.Body, Json, http.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            return (null, Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "request body too large" : $"bad request: {e.Message}"));
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}"));
        }
        if (request is null) return (null, Error(StatusCodes.Status400BadRequest, "the body must be a JSON object"));
        var missing = new List<string>();
        if (requireIds && string.IsNullOrWhiteSpace(request.AgentId)) missing.Add("agentId");
        if (requireIds && string.IsNullOrWhiteSpace(request.SessionId)) missing.Add("sessionId");
        if (string.IsNullOrWhiteSpace(request.Tool)) missing.Add("tool");
        if (string.IsNullOrWhiteSpace(request.Cwd)) missing.Add("cwd");
        if (missing.Count > 0) return (null, Error(StatusCodes.Status400BadRequest, $"missing field(s): {string.Join(", ", missing)}"));
        if (request.Intent is not (null or "execute" or "decide-only"))
            return (null, Error(StatusCodes.Status400BadRequest, $"intent must be 'execute' or 'decide-only', not '{request.Intent}'"));
        if (!Path.IsPathRooted(request.Cwd))
            return (null, Error(StatusCodes.Status400BadRequest, "cwd must be an absolute path"));
        return (request, null);
    }
}
