using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Policy;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator serve</c>: the HTTP front on 127.0.0.1 until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Serve the HTTP API on 127.0.0.1 (POST /v1/calls, GET /v1/calls/{session}/{id}, POST /v1/check, /healthz, /readyz, /openapi.json)");
        var policy = new PolicyOptions();
        var port = new Option<int>("--port") { Description = $"Loopback port (default {ServerOptions.DefaultPort})", DefaultValueFactory = _ => ServerOptions.DefaultPort };
        var data = new Option<string>("--data") { Description = "Journal directory (default ./.data)", DefaultValueFactory = _ => "./.data" };
        var approver = new Option<string?>("--approver") { Description = "Answer approvals automatically: auto-approve, auto-deny or approve-classifier-safe" };
        policy.AddTo(command);
        command.Options.Add(port);
        command.Options.Add(data);
        command.Options.Add(approver);
        command.SetAction((result, ct) => RunAsync(result, policy, result.GetValue(port), result.GetValue(data)!, result.GetValue(approver), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, int port, string data,
        string? approverName, CancellationToken ct)
    {
        if (port is < 0 or > 65535)
        {
            Console.Error.WriteLine($"orchestrator: --port must be 0-65535, not {port}");
            return ExitCodes.BadInput;
        }
        AutomaticApprover? approver = null;
        if (approverName is not null && (approver = AutomaticApprovers.Parse(approverName)) is null)
        {
            Console.Error.WriteLine($"orchestrator: unknown --approver '{approverName}' (auto-approve, auto-deny or approve-classifier-safe)");
            return ExitCodes.BadInput;
        }
        var policy = policyOptions.Build(result);
        foreach (var e in PolicyLoader.Load(policy).Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");

        var app = OrchestratorServer.BuildApp(new ServerOptions(policy) { Port = port, DataDirectory = data, Approver = approver });
        await using (app)
        {
            await app.StartAsync(ct);
            Console.WriteLine($"orchestrator: serving on {OrchestratorServer.BoundUri(app)} (journal {Path.GetFullPath(data)}); Ctrl-C to stop");
            await app.WaitForShutdownAsync(ct);
        }
        return ExitCodes.Allow;
    }
}
