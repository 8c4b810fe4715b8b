using System.Net;
using System.Text.Json;
using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orchestrator.Actors.Access;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Shadow;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.Access;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Server.Logging;
using Orchestrator.Server.Mcp;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// The HTTP front (loopback unless tokens exist; see <see cref="AccessControl"/>): calls (<see cref="CallRoutes"/>), approvals and grants (<see cref="ApprovalRoutes"/>),
/// <c>GET /healthz</c>, <c>GET /readyz</c> (every stage can serve and every session found in the journal has recovered; see <see cref="Readiness"/>),
/// <c>GET /openapi.json</c>. Errors are <c>{"error": "…"}</c>.
/// </summary>
public static class OrchestratorServer
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="configure">Added services before the app is built (<c>orchestrator mcp</c> adds the stdio MCP transport).</param>
    public static WebApplication BuildApp(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The journal, tokens and keys under --data are never readable by a judged call, nor by a sandboxed command.
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        WorkspaceRoots? roots;
        try { roots = options.Roots.Count > 0 ? new WorkspaceRoots(options.Roots) : null; }
        catch (ArgumentException e) { throw new StartupRefusedException(e.Message, e); }
        // With roots, the default workspace (of calls recorded without one) is the first root.
        var policies = new PolicyCatalog(HidingDataDirectory(options.Policy, dataDirectory) with
        {
            ProjectDirectory = roots?.Roots[0] ?? options.Policy.ProjectDirectory,
        });
        // The one workspace's policy is loaded (and recorded) at start; with roots, each workspace's on its first call.
        if (roots is null) _ = policies.Default;
        var persistence = options.Persistence switch
        {
            null => PersistenceOptions.Sqlite(CreateDataDirectory(options.DataDirectory)),
            PostgresPersistenceOptions { DataDirectory: null } postgres => postgres with { DataDirectory = dataDirectory },
            var given => given,
        };
        if (options.AcceptRewoundJournal) persistence = persistence with { AcceptRewoundJournal = true };
        // One process writes a data directory at a time; DATA/server.json tells others where it serves.
        var dataLock = DataDirectoryLock.Acquire(CreateDataDirectory(options.DataDirectory));
        TokenSource tokens;
        try
        {
            // Before the host is built, so a journal that must not be opened is refused in one line.
            persistence = persistence with { CheckedMark = JournalOpening.Check(persistence) };
            tokens = CreateTokenSource(options, dataDirectory);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddEscapedLineConsole();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.BindAddress, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(policies);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Refusals>();
        builder.Services.AddSingleton(new ServedWorkspaces(policies, roots));
        var webhooks = options.ApprovalWebhooks is { Urls.Count: > 0 } hooks ? new ApprovalWebhooks(hooks) : null;
        if (webhooks is not null) builder.Services.AddSingleton(webhooks);
        // The gateway's upstream tools run behind the executor seam, beside the standard executors.
        var (upstreams, upstreamProblem) = Mcp.Gateway.McpUpstreamSettings.Merge(options.McpUpstreams, options.Policy);
        if (upstreamProblem is not null) throw new StartupRefusedException(upstreamProblem);
        var gateway = upstreams.Count == 0
            ? Mcp.Gateway.McpGateway.None
            : new Mcp.Gateway.McpGateway(upstreams, new Mcp.Gateway.McpDefinitionPins(Path.Combine(dataDirectory, "mcp-definitions.json")));
        builder.Services.AddSingleton(gateway);
        var pipelineOptions = options.PipelineOptions();
        if (!gateway.IsEmpty) pipelineOptions = pipelineOptions with { Tools = (pipelineOptions.Tools ?? Sandbox.Tools.ToolExecutors.Standard).With(gateway.Executors) };
        builder.Services.AddAkka("orchestrator", b => b
            .ConfigureLoggers(l =>
            {
                // Akka's own log goes through the same one-line, escaped console format.
                l.ClearLoggers();
                l.AddLoggerFactory();
            })
            .WithOrchestratorPersistence(persistence)
            .WithOrchestratorPipeline(policies, pipelineOptions with { ApprovalNotifier = webhooks })
            .WithRefusalLog()
            .WithShadowPolicy(ShadowCandidate(options), options.ShadowPolicy, options.ShadowInterval));
        builder.Services.AddSingleton<PipelineGateway>();
        builder.Services.AddSingleton(sp => new Actors.History.JournalHistory(sp.GetRequiredService<Akka.Actor.ActorSystem>()));
        builder.Services.AddSingleton<Ingress>();
        builder.Services.AddSingleton<ReplayGate>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Ingress>());
        builder.Services.AddOrchestratorMcp().WithHttpTransport();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => dataLock.Announce(BoundUri(app)));
        if (webhooks is not null)
        {
            webhooks.Log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("approval-webhooks");
            app.Lifetime.ApplicationStarted.Register(() => webhooks.ServerAddress = BoundUri(app));
        }
        app.Lifetime.ApplicationStopped.Register(dataLock.Dispose);
        if (!gateway.IsEmpty) app.Lifetime.ApplicationStopped.Register(() => gateway.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5)));
        AccessControl.Use(app, options);
        app.MapGet("/healthz", () => Results.Json(new { status = "up" }, Json));
        app.MapGet("/readyz", (ActorRegistry registry, Akka.Actor.ActorSystem system, CancellationToken ct) => Readiness.CheckAsync(registry, system, ct));
        app.MapGet("/openapi.json", () =>
        {
            using var stream = typeof(OrchestratorServer).Assembly.GetManifestResourceStream("Orchestrator.Server.openapi.json")!;
            using var reader = new StreamReader(stream);
            return Results.Text(reader.ReadToEnd(), "application/json");
        });
        CallRoutes.Map(app);
        ApprovalRoutes.Map(app);
        TokenRoutes.Map(app);
        app.MapMcp(Mcp.McpEndpoint.Path);
        HistoryRoutes.Map(app);
        WebConsole.ConsoleRoutes.Map(app);
        WebConsole.ApprovalStream.Map(app);
        app.MapGet("/v1/refusals", async (int? limit, PipelineGateway pipeline, CancellationToken ct) =>
        {
            var (answer, error) = await pipeline.AskAsync<RefusalLog>(new ListRefusals(limit ?? 200), ct);
            return error ?? (answer is RecentRefusals recent ? Results.Json(new { refusals = recent.Refusals }, Json) : Unexpected(answer!));
        });
        return app;
    }

    /// <summary>
    /// The policy with <paramref name="dataDirectory"/> among the data directories no judged call may read or write
    /// (the server's, the in-process <c>run</c>'s and the offline <c>check</c>'s judgement alike).
    /// </summary>
    public static PolicyLoadOptions HidingDataDirectory(PolicyLoadOptions policy, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var full = Path.GetFullPath(dataDirectory);
        return policy with { DataDirectories = [.. policy.DataDirectoriesInUse.Where(d => d != full), full] };
    }

    /// <summary>The shadow policy's file as read once at start (null: none); unreadable, the server refuses to start.</summary>
    private static Core.History.Replay.ReplayPolicy? ShadowCandidate(ServerOptions options)
    {
        if (options.ShadowPolicy is not { } file) return null;
        try
        {
            var path = Path.GetFullPath(file);
            return new([new Core.Policy.Sources.PolicyFileObservation(path, Core.Policy.Sources.PolicyFileKind.File) { Bytes = [.. File.ReadAllBytes(path)] }], false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException($"--shadow-policy {file} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The address the started app listens on (useful with port 0).</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Whether the app runs for one local user without tokens (the server secret guards approvals).</summary>
    public static bool RunsWithoutTokens(WebApplication app) => app.Services.GetRequiredService<TokenSource>().ServerSecretHash is not null;

    /// <summary>
    /// Tokens from DATA/tokens.json; with none, the server secret (created if missing) for the one local user, which
    /// only a loopback server may use: a server reachable from other machines without tokens is refused.
    /// </summary>
    private static TokenSource CreateTokenSource(ServerOptions options, string dataDirectory)
    {
        TokenBook book;
        try { book = TokenStoreFile.Load(dataDirectory); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { throw new StartupRefusedException(e.Message, e); }
        if (!book.IsEmpty) return new TokenSource(dataDirectory, null);
        if (!IPAddress.IsLoopback(options.BindAddress))
            throw new StartupRefusedException($"binding {options.BindAddress} without tokens would serve anyone who can reach it; " +
                $"add tokens first (orchestrator tokens add --data {dataDirectory} --role admin --name NAME) or bind to loopback");
        return new TokenSource(dataDirectory, ServerSecret.EnsureHash(dataDirectory));
    }

    private static string CreateDataDirectory(string path) => Actors.Storage.DataDirectory.Ensure(path);
}
