using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator serve</c>: the HTTP front on 127.0.0.1 until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Serve the HTTP API on 127.0.0.1 (bearer tokens from --data, or one local user without them; calls, approvals, grants, check, health; see /openapi.json)");
        var policy = new PolicyOptions();
        var port = new Option<int>("--port") { Description = $"Loopback port (default {ServerOptions.DefaultPort})", DefaultValueFactory = _ => ServerOptions.DefaultPort };
        var data = DataOption.Create();
        var approver = new Option<string?>("--approver") { Description = "Answer approvals automatically: auto-approve, auto-deny or approve-classifier-safe" };
        var approvalTimeout = new Option<double>("--approval-timeout") { Description = "Seconds an operator has to answer before the call is denied (default 600)", DefaultValueFactory = _ => 600 };
        var postgres = new Option<string?>("--postgres") { Description = "Keep the journal in PostgreSQL (a connection string) instead of SQLite under --data" };
        var schema = new Option<string?>("--postgres-schema") { Description = "PostgreSQL schema for the journal (created if missing)" };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default 127.0.0.1; any other needs tokens: orchestrator tokens add)", DefaultValueFactory = _ => "127.0.0.1" };
        var allowedHosts = new Option<string[]>("--allowed-host") { Description = "A host name clients may use besides the loopback names (repeatable); other Host headers get 421" };
        var roots = new Option<string[]>("--root")
        {
            Description = "Serve every workspace under DIR (repeatable): a call is judged by the .orchestrator/ layers of its own workspace " +
                "(its 'workspace' field, else the nearest ancestor of its cwd holding .git or .orchestrator); calls outside every root are refused. " +
                "Without --root the server has one workspace, --project (default: the current directory)",
        };
        var acceptRewound = new Option<bool>(JournalStartCheck.AcceptFlag) { Description = "Start although the journal is behind its high-water mark (history lost or rewound); the acceptance is recorded in the data directory" };
        policy.AddTo(command);
        command.Options.Add(port);
        command.Options.Add(data);
        command.Options.Add(approver);
        command.Options.Add(approvalTimeout);
        command.Options.Add(postgres);
        command.Options.Add(schema);
        command.Options.Add(bind);
        command.Options.Add(allowedHosts);
        command.Options.Add(acceptRewound);
        command.Options.Add(roots);
        command.Options.Add(MaxRuns);
        command.Options.Add(MaxRunsPerAgent);
        command.Options.Add(ReplayCores);
        command.Options.Add(MaxOutput);
        command.Options.Add(SnapshotEvery);
        command.Options.Add(ApprovalWebhook);
        command.Options.Add(ApprovalWebhookSecretFile);
        command.Options.Add(EscalateTo);
        command.Options.Add(EscalateAfter);
        command.Options.Add(ShadowPolicy);
        ToolLimitOptions.AddTo(command);
        command.Options.Add(McpUpstreamOption.Upstream);
        command.SetAction((result, ct) => RunAsync(result, policy, new ServeSettings(result.GetValue(port), result.GetValue(data)!,
            result.GetValue(approver), result.GetValue(approvalTimeout), result.GetValue(postgres), result.GetValue(schema),
            result.GetValue(acceptRewound), result.GetValue(bind)!, result.GetValue(allowedHosts) ?? [], result.GetValue(roots) ?? []), ct));
        return command;
    }

    private static readonly Option<int> MaxRuns = new("--max-runs")
    {
        Description = "Executions running at once, all agents together; beyond it calls wait, shown as queued (default 4 × cores)",
        DefaultValueFactory = _ => 4 * Environment.ProcessorCount,
    };

    private static readonly Option<int> MaxRunsPerAgent = new("--max-runs-per-agent")
    {
        Description = "Executions running at once for one agent; beyond it its calls wait, shown as queued (default 8)",
        DefaultValueFactory = _ => 8,
    };

    private static readonly Option<int> ReplayCores = new("--replay-cores")
    {
        Description = "Cores a what-if replay (POST /v1/replay, one at a time) judges on, leaving the others to live decisions (default half the cores, at least 1)",
        DefaultValueFactory = _ => Server.ServerOptions.DefaultReplayCores,
    };

    private static readonly Option<string?> ShadowPolicy = new("--shadow-policy")
    {
        Description = "Also judge every live call against this settings file (on top of the recorded layers), never enforcing it; disagreements are recorded (GET /v1/shadow, orchestrator replay --shadow)",
    };

    private static readonly Option<int?> MaxOutput = new("--max-output")
    {
        Description = "Bytes kept from the start and from the end of each output stream of a run, recorded with the call and served after restarts (default 32768)",
    };

    private static readonly Option<int> SnapshotEvery = new("--snapshot-every")
    {
        Description = "A session saves a sealed snapshot every this many events, so a restart replays only what follows it; 0 never snapshots (default 1000)",
        DefaultValueFactory = _ => Actors.Pipeline.PipelineOptions.Default.SnapshotEvery ?? 0,
    };

    private static readonly Option<string[]> ApprovalWebhook = new("--approval-webhook")
    {
        Description = "POST each new approval as signed JSON to URL (repeatable; retried, never blocking calls; header X-Orchestrator-Signature: sha256=HMAC)",
    };

    private static readonly Option<string?> ApprovalWebhookSecretFile = new("--approval-webhook-secret-file")
    {
        Description = "The HMAC-SHA256 key of webhook signatures (the file's bytes); default DATA/approval-webhook.key, created on first use",
    };

    private static readonly Option<string?> EscalateTo = new("--escalate-to")
    {
        Description = "An approval unanswered by its deadline goes to this approver group (a fresh request, shown escalated in the listing) instead of being denied",
    };

    private static readonly Option<double> EscalateAfter = new("--escalate-after")
    {
        Description = "Seconds the escalated group has to answer (default 600)", DefaultValueFactory = _ => 600,
    };

    /// <summary>The webhook options, or why they cannot be built; null options when no webhook is configured.</summary>
    private static (Server.ApprovalWebhookOptions? Options, string? Error) Webhooks(ParseResult result, string data)
    {
        var urls = new List<Uri>();
        foreach (var text in result.GetValue(ApprovalWebhook) ?? [])
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                return (null, $"--approval-webhook needs an http(s) URL, not '{text}'");
            urls.Add(url);
        }
        if (urls.Count == 0) return (null, null);
        var secretFile = result.GetValue(ApprovalWebhookSecretFile) ?? Path.Combine(data, "approval-webhook.key");
        try
        {
            if (result.GetValue(ApprovalWebhookSecretFile) is null && !File.Exists(secretFile))
                Core.Storage.PrivateFile.CreateNew(secretFile, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            var secret = File.ReadAllBytes(secretFile);
            if (secret.Length < 16) return (null, $"the webhook secret in {secretFile} is shorter than 16 bytes");
            Console.WriteLine($"orchestrator: new approvals are POSTed to {string.Join(", ", urls)}, signed with the key in {Path.GetFullPath(secretFile)}");
            return (new Server.ApprovalWebhookOptions(urls, secret), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the webhook secret {secretFile}: {e.Message}");
        }
    }

    private sealed record ServeSettings(int Port, string Data, string? Approver, double ApprovalTimeoutSeconds, string? Postgres, string? Schema,
        bool AcceptRewound, string Bind, string[] AllowedHosts, string[] Roots)
    {
        public EscalationPolicy? Escalation { get; init; }
        public Server.ApprovalWebhookOptions? Webhooks { get; init; }
        public IReadOnlyList<Server.Mcp.Gateway.McpUpstreamSpec> Upstreams { get; init; } = [];
        public int? SnapshotEvery { get; init; }
        public int ReplayCores { get; init; } = Server.ServerOptions.DefaultReplayCores;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, ServeSettings settings, CancellationToken ct)
    {
        var (port, data) = (settings.Port, settings.Data);
        if (port is < 0 or > 65535)
        {
            Console.Error.WriteLine($"orchestrator: --port must be 0-65535, not {port}");
            return ExitCodes.BadInput;
        }
        AutomaticApprover? approver = null;
        if (settings.Approver is { } approverName && (approver = AutomaticApprovers.Parse(approverName)) is null)
        {
            Console.Error.WriteLine($"orchestrator: unknown --approver '{approverName}' (auto-approve, auto-deny or approve-classifier-safe)");
            return ExitCodes.BadInput;
        }
        if (double.IsNaN(settings.ApprovalTimeoutSeconds) || settings.ApprovalTimeoutSeconds is < 1 or > 7 * 24 * 3600)
        {
            Console.Error.WriteLine("orchestrator: --approval-timeout must be between 1 and 604800 seconds");
            return ExitCodes.BadInput;
        }
        if (result.GetValue(MaxRuns) is < 1 or > 100_000 || result.GetValue(MaxRunsPerAgent) is < 1 or > 100_000)
        {
            Console.Error.WriteLine("orchestrator: --max-runs and --max-runs-per-agent must be between 1 and 100000");
            return ExitCodes.BadInput;
        }
        if (result.GetValue(ReplayCores) is < 1 or > 1024)
        {
            Console.Error.WriteLine("orchestrator: --replay-cores must be between 1 and 1024");
            return ExitCodes.BadInput;
        }
        if (result.GetValue(MaxOutput) is < 0 or > 16 * 1024 * 1024)
        {
            Console.Error.WriteLine("orchestrator: --max-output must be between 0 and 16777216 bytes");
            return ExitCodes.BadInput;
        }
        if (result.GetValue(SnapshotEvery) is < 0 or > 1_000_000)
        {
            Console.Error.WriteLine("orchestrator: --snapshot-every must be between 0 (never) and 1000000 events");
            return ExitCodes.BadInput;
        }
        var (toolLimits, toolLimitProblem) = ToolLimitOptions.Build(result);
        if (toolLimitProblem is not null)
        {
            Console.Error.WriteLine($"orchestrator: {toolLimitProblem}");
            return ExitCodes.BadInput;
        }
        if (settings.Postgres is { } cs && string.IsNullOrWhiteSpace(cs))
        {
            Console.Error.WriteLine("orchestrator: --postgres needs a connection string");
            return ExitCodes.BadInput;
        }
        if (!System.Net.IPAddress.TryParse(settings.Bind, out var bindAddress))
        {
            Console.Error.WriteLine($"orchestrator: --bind must be an IP address, not '{settings.Bind}'");
            return ExitCodes.BadInput;
        }
        if (settings.AllowedHosts.FirstOrDefault(h => h.Length == 0 || h.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '/')) is { } badHost)
        {
            Console.Error.WriteLine($"orchestrator: --allowed-host takes a host name without port, not '{badHost}'");
            return ExitCodes.BadInput;
        }
        if (result.GetValue(EscalateTo) is { } group && (group.Length is 0 or > 128 || double.IsNaN(result.GetValue(EscalateAfter)) || result.GetValue(EscalateAfter) is < 1 or > 7 * 24 * 3600))
        {
            Console.Error.WriteLine("orchestrator: --escalate-to needs a group name of 1-128 characters and --escalate-after 1-604800 seconds");
            return ExitCodes.BadInput;
        }
        var (upstreams, upstreamProblem) = McpUpstreamOption.Parse(result);
        if (upstreamProblem is not null)
        {
            Console.Error.WriteLine($"orchestrator: {upstreamProblem}");
            return ExitCodes.BadInput;
        }
        var (webhooks, webhookError) = Webhooks(result, data);
        if (webhookError is not null)
        {
            Console.Error.WriteLine($"orchestrator: {webhookError}");
            return ExitCodes.BadInput;
        }
        var policy = policyOptions.Build(result);
        if (settings.Roots.Length > 0 && result.GetValue(policyOptions.Project) is not null)
        {
            Console.Error.WriteLine("orchestrator: --project names the one workspace of a server without --root; with --root each call's workspace is found under the roots");
            return ExitCodes.BadInput;
        }
        if (settings.Roots.FirstOrDefault(r => !Directory.Exists(r)) is { } missingRoot)
        {
            Console.Error.WriteLine($"orchestrator: --root {missingRoot} is not an existing directory");
            return ExitCodes.BadInput;
        }
        foreach (var workspace in settings.Roots.Length > 0 ? settings.Roots : [policy.ProjectDirectory])
            if (DataOption.Refusal(data, workspace) is { } refusal)
            {
                Console.Error.WriteLine($"orchestrator: {refusal}");
                return ExitCodes.BadInput;
            }
        if (settings.Roots.Length == 0)
            foreach (var e in PolicyLoader.Load(policy).Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");

        try
        {
            var escalation = result.GetValue(EscalateTo) is { } to ? new EscalationPolicy(to, TimeSpan.FromSeconds(result.GetValue(EscalateAfter))) : null;
            return await ServeAsync(policy, settings with
            {
                Escalation = escalation, Webhooks = webhooks, Upstreams = upstreams,
                SnapshotEvery = result.GetValue(SnapshotEvery) is > 0 and var every ? every : null,
                ReplayCores = result.GetValue(ReplayCores),
            }, approver, bindAddress,
                (result.GetValue(MaxRuns), result.GetValue(MaxRunsPerAgent)), result.GetValue(MaxOutput), toolLimits, result.GetValue(ShadowPolicy), ct);
        }
        catch (Exception e) when (Refusal(e) is { } refused)
        {
            Console.Error.WriteLine($"orchestrator: refusing to start: {refused.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The one-line refusal inside whatever the host wrapped it in.</summary>
    private static StartupRefusedException? Refusal(Exception? e) => e switch
    {
        null => null,
        StartupRefusedException refused => refused,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Refusal).FirstOrDefault(r => r is not null),
        _ => Refusal(e.InnerException),
    };

    private static async Task<int> ServeAsync(PolicyLoadOptions policy, ServeSettings settings, AutomaticApprover? approver,
        System.Net.IPAddress bindAddress, (int Global, int PerAgent) maxRuns, int? maxOutput, Orchestrator.Sandbox.Tools.ToolLimits? toolLimits, string? shadowPolicy, CancellationToken ct)
    {
        var (port, data) = (settings.Port, settings.Data);
        var app = OrchestratorServer.BuildApp(new ServerOptions(policy)
        {
            Roots = [.. settings.Roots.Select(Path.GetFullPath)],
            AcceptRewoundJournal = settings.AcceptRewound,
            BindAddress = bindAddress,
            AllowedHosts = settings.AllowedHosts,
            Port = port,
            DataDirectory = data,
            Approver = approver,
            ApprovalTimeout = TimeSpan.FromSeconds(settings.ApprovalTimeoutSeconds),
            Escalation = settings.Escalation,
            ApprovalWebhooks = settings.Webhooks,
            MaxRuns = maxRuns.Global,
            MaxRunsPerAgent = maxRuns.PerAgent,
            MaxOutputBytes = maxOutput,
            SnapshotEvery = settings.SnapshotEvery,
            ShadowPolicy = shadowPolicy,
            ReplayCores = settings.ReplayCores,
            ToolLimits = toolLimits,
            McpUpstreams = settings.Upstreams,
            RecoveryGate = RecoveryGateFile.FromEnvironment(),
            Persistence = settings.Postgres is { } connection ? PersistenceOptions.Postgres(connection, settings.Schema, Path.GetFullPath(data)) : null,
        });
        await using (app)
        {
            await app.StartAsync(ct);
            // Approvals only a killed in-process run could have answered (its journal is the SQLite one in --data).
            if (settings.Postgres is null)
            {
                var sessions = await Actors.Pipeline.PipelineRegistry.WhenRegisteredAsync<Actors.Pipeline.SessionRouter>(app.Services.GetRequiredService<Akka.Hosting.ActorRegistry>(), TimeSpan.FromSeconds(30));
                foreach (var line in await RunLeases.SettleAsync(Path.GetFullPath(data), sessions, ct)) Console.WriteLine($"orchestrator: {line}");
            }
            if (OrchestratorServer.RunsWithoutTokens(app))
                Console.WriteLine($"orchestrator: no tokens in {Core.Access.TokenStoreFile.PathIn(data)}: running WITHOUT AUTHENTICATION for one local user " +
                    $"(loopback only; approvals need the server secret in {Core.Access.ServerSecret.PathIn(data)}; add tokens with 'orchestrator tokens add')");
            Console.WriteLine($"orchestrator: serving on {OrchestratorServer.BoundUri(app)} (journal {(settings.Postgres is null ? Path.GetFullPath(data) : "PostgreSQL")}); Ctrl-C to stop");
            await app.WaitForShutdownAsync(ct);
        }
        return ExitCodes.Allow;
    }
}
