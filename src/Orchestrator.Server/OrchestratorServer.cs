using System.Net;
using System.Text.Json;
using Akka.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Server.Logging;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// The HTTP front (127.0.0.1 only): calls (<see cref="CallRoutes"/>), approvals and grants (<see cref="ApprovalRoutes"/>),
/// <c>GET /healthz</c>, <c>GET /readyz</c> (every stage can serve and every session found in the journal has recovered; see <see cref="Readiness"/>),
/// <c>GET /openapi.json</c>. Errors are <c>{"error": "…"}</c>.
/// </summary>
public static class OrchestratorServer
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication BuildApp(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The journal, tokens and keys under --data are never readable by a judged call, nor by a sandboxed command.
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var snapshot = PolicyLoader.Load(options.Policy with
        {
            DataDirectories = [.. options.Policy.DataDirectoriesInUse.Where(d => d != dataDirectory), dataDirectory],
        });
        var evaluator = new PolicyEvaluator(snapshot);
        var persistence = options.Persistence switch
        {
            null => PersistenceOptions.Sqlite(CreateDataDirectory(options.DataDirectory)),
            PostgresPersistenceOptions { DataDirectory: null } postgres => postgres with { DataDirectory = dataDirectory },
            var given => given,
        };
        if (options.AcceptRewoundJournal) persistence = persistence with { AcceptRewoundJournal = true };
        // One process writes a data directory at a time; DATA/server.json tells others where it serves.
        var dataLock = DataDirectoryLock.Acquire(CreateDataDirectory(options.DataDirectory));
        try
        {
            // Before the host is built, so a journal that must not be opened is refused in one line.
            JournalOpening.Check(persistence);
            persistence = persistence with { StartChecked = true };
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
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddAkka("orchestrator", b => b
            .ConfigureLoggers(l =>
            {
                // Akka's own log goes through the same one-line, escaped console format.
                l.ClearLoggers();
                l.AddLoggerFactory();
            })
            .WithOrchestratorPersistence(persistence)
            .WithOrchestratorPipeline(snapshot, options.PipelineOptions()));
        builder.Services.AddSingleton<PipelineGateway>();
        builder.Services.AddSingleton<Ingress>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Ingress>());

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => dataLock.Announce(BoundUri(app)));
        app.Lifetime.ApplicationStopped.Register(dataLock.Dispose);
        app.MapGet("/healthz", () => Results.Json(new { status = "up" }, Json));
        app.MapGet("/readyz", (ActorRegistry registry, CancellationToken ct) => Readiness.CheckAsync(registry, ct));
        app.MapGet("/openapi.json", () =>
        {
            using var stream = typeof(OrchestratorServer).Assembly.GetManifestResourceStream("Orchestrator.Server.openapi.json")!;
            using var reader = new StreamReader(stream);
            return Results.Text(reader.ReadToEnd(), "application/json");
        });
        CallRoutes.Map(app, evaluator);
        ApprovalRoutes.Map(app);
        return app;
    }

    /// <summary>The address the started app listens on (useful with port 0).</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private static string CreateDataDirectory(string path) => DataDirectory.Ensure(path);
}
