using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orchestrator.Actors.Storage;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Core.Adapters;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Server;
using Orchestrator.Server.Mcp;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator mcp</c>: an MCP server on stdin/stdout exposing the gated tools (<see cref="McpEndpoint"/>), every
/// tools/call one call through the pipeline as <c>--agent</c> in a session of its own. The pipeline is a whole server
/// on <c>--data</c> (loopback, port <c>--port</c>, default any free one; announced in <c>DATA/server.json</c>), so
/// operators answer its approvals with <c>orchestrator approvals</c> as with <c>serve</c>, and <c>/mcp</c> is served
/// over HTTP too. With <c>--upstream</c> it is also a gateway in front of other MCP servers (<see cref="Server.Mcp.Gateway.McpGateway"/>).
/// Nothing but MCP is written to stdout; logs go to stderr.
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var command = new Command("mcp", "Serve the gated tools (bash, read_file, write_file, edit_file, glob, grep, web_fetch) over MCP on stdio; each call goes through the pipeline");
        var policy = new PolicyOptions();
        var data = DataOption.Create();
        var agent = new Option<string>("--agent") { Description = $"The agent the stdio client's calls are recorded as (default {McpCaller.DefaultAgent})", DefaultValueFactory = _ => McpCaller.DefaultAgent };
        var port = new Option<int>("--port") { Description = "Loopback port of the server behind it (default 0: any free one)", DefaultValueFactory = _ => 0 };
        var approver = new Option<string?>("--approver") { Description = "Answer approvals automatically: auto-approve, auto-deny or approve-classifier-safe" };
        var approvalTimeout = new Option<double>("--approval-timeout") { Description = "Seconds an operator has to answer before the call is denied (default 600)", DefaultValueFactory = _ => 600 };
        var wait = new Option<double>("--wait") { Description = "Seconds a tools/call follows its call (through an approval) before answering 'pending approval' (default 50)", DefaultValueFactory = _ => 50 };
        policy.AddTo(command);
        foreach (var option in new Option[] { data, agent, port, approver, approvalTimeout, wait, McpUpstreamOption.Upstream }) command.Options.Add(option);
        ToolLimitOptions.AddTo(command);
        command.SetAction((result, ct) =>
        {
            // Stray console writes (Akka's, the host's) must never reach the MCP stream on stdout.
            Console.SetOut(Console.Error);
            return RunAsync(result, policy, result.GetValue(data)!, result.GetValue(agent)!, result.GetValue(port), result.GetValue(approver),
                result.GetValue(approvalTimeout), result.GetValue(wait), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, string data, string agent, int port, string? approverName,
        double approvalTimeout, double wait, CancellationToken ct)
    {
        if (IdSyntax.Problem("--agent", agent) is { } badAgent) return Fail(badAgent);
        if (port is < 0 or > 65535) return Fail($"--port must be 0-65535, not {port}");
        AutomaticApprover? approver = null;
        if (approverName is not null && (approver = AutomaticApprovers.Parse(approverName)) is null)
            return Fail($"unknown --approver '{approverName}' (auto-approve, auto-deny or approve-classifier-safe)");
        if (double.IsNaN(approvalTimeout) || approvalTimeout is < 1 or > 7 * 24 * 3600) return Fail("--approval-timeout must be between 1 and 604800 seconds");
        if (double.IsNaN(wait) || wait is < 0 or > 3600) return Fail("--wait must be between 0 and 3600 seconds");
        var (upstreams, upstreamProblem) = McpUpstreamOption.Parse(result);
        if (upstreamProblem is not null) return Fail(upstreamProblem);
        var (toolLimits, toolLimitProblem) = ToolLimitOptions.Build(result);
        if (toolLimitProblem is not null) return Fail(toolLimitProblem);
        var policy = policyOptions.Build(result);
        if (DataOption.Refusal(data, policy.ProjectDirectory) is { } refusal) return Fail(refusal);
        if (DataDirectoryLock.Probe(Path.GetFullPath(data)) is { Held: true, Server: var held })
            return Fail(held is { } server
                ? $"a server already holds {Path.GetFullPath(data)}; connect the MCP client to {server.Url.TrimEnd('/')}{McpEndpoint.Path} instead"
                : $"another orchestrator process holds {Path.GetFullPath(data)}; try again when it ends");

        var identity = new McpStdioIdentity(new AgentId(agent), new SessionId($"mcp-{Guid.NewGuid():n}"));
        try
        {
            var app = OrchestratorServer.BuildApp(new ServerOptions(policy)
            {
                Port = port,
                DataDirectory = data,
                Approver = approver,
                ApprovalTimeout = TimeSpan.FromSeconds(approvalTimeout),
                McpWait = TimeSpan.FromSeconds(wait),
                McpUpstreams = upstreams,
                ToolLimits = toolLimits,
            }, builder =>
            {
                builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.AddSingleton(identity);
                builder.Services.AddMcpServer().WithStdioServerTransport();
                // Claude Code relays its permission prompts to a channel server that declares these (McpChannelRelay).
                builder.Services.Configure<McpServerOptions>(o =>
                {
                    o.Capabilities ??= new ServerCapabilities();
                    o.Capabilities.Experimental ??= new Dictionary<string, object>();
                    o.Capabilities.Experimental["claude/channel"] = new JsonObject();
                    o.Capabilities.Experimental[ChannelPermissionRequest.Capability] = new JsonObject();
                });
            });
            await using (app)
            {
                await app.StartAsync(ct);
                var orphans = await app.Services.GetRequiredService<McpChannelRelay>().DenyOrphansAsync(identity.Session, ct);
                if (orphans > 0) Console.Error.WriteLine($"orchestrator: denied {orphans} relayed permission prompt(s) left pending by an earlier run ({McpChannelRelay.ClientGone})");
                Console.Error.WriteLine($"orchestrator: MCP on stdio as agent {agent}, session {identity.Session}; the pipeline serves on {OrchestratorServer.BoundUri(app)} (journal {Path.GetFullPath(data)})");
                await app.WaitForShutdownAsync(ct);
            }
            return ExitCodes.Allow;
        }
        catch (StartupRefusedException e)
        {
            return Fail($"refusing to start: {e.Message}", ExitCodes.Failure);
        }
    }

    private static int Fail(string message, int code = ExitCodes.BadInput)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}
