using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Core.Adapters;
using Orchestrator.Server.Mcp.Gateway;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Server.Mcp;

/// <summary>
/// The MCP server (the official ModelContextProtocol SDK, which negotiates the protocol revisions it supports — the
/// current one and those before it): <c>tools/list</c> answers <see cref="McpGatedTools"/>, <c>tools/call</c> runs
/// <see cref="McpToolCalls"/>. Served as streamable HTTP at <see cref="Path"/> on every server (behind the same token
/// authentication as the API) and on stdio by <c>orchestrator mcp</c>.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    public const string ChangedFlag = "[definition changed since first seen or last approved: calls ask] ";

    public static IMcpServerBuilder AddOrchestratorMcp(this IServiceCollection services)
    {
        services.AddSingleton<McpToolCalls>();
        services.AddSingleton<McpChannelRelay>();
        services.TryAddSingleton(McpGateway.None);
        return services
            .AddMcpServer(o => o.ServerInfo = new Implementation
            {
                Name = "orchestrator",
                Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "0",
            })
            .WithMessageFilters(filters => filters.AddIncomingFilter(next => async (context, ct) =>
            {
                if (context.JsonRpcMessage is JsonRpcNotification { Method: ChannelPermissionRequest.RequestMethod } relayed)
                {
                    RelayPermissionRequest(context, relayed);
                    return;
                }
                await next(context, ct);
            }))
            .WithListToolsHandler(async (context, ct) =>
            {
                var gateway = (context.Services ?? context.Server.Services!).GetRequiredService<McpGateway>();
                if (gateway.IsEmpty) return new ListToolsResult { Tools = McpGatedTools.Listed() };
                var (upstream, problems) = await gateway.ListAsync(ct);
                foreach (var problem in problems) Console.Error.WriteLine($"orchestrator: {problem}");
                return new ListToolsResult { Tools = [.. McpGatedTools.Listed(), .. upstream.Select(t => Fronted(t, gateway.ChangedFrom(t)))] };
            })
            .WithCallToolHandler(async (context, ct) =>
            {
                var services = context.Services ?? context.Server.Services!;
                // Over HTTP, AccessControl has authenticated every /mcp request before the SDK sees it, so a message
                // without an Orchestrator principal came in on stdio, from the user who started `orchestrator mcp`.
                var caller = McpCaller.FromHttp(context.User, context.Server.SessionId) ?? services.GetService<McpStdioIdentity>()?.Caller;
                if (caller is null)
                    return new CallToolResult { Content = [new TextContentBlock { Text = "Orchestrator: the caller is not authenticated" }], IsError = true };
                return await services.GetRequiredService<McpToolCalls>().CallAsync(caller, context.Params!.Name, context.Params.Arguments, context.Server, ct);
            });
    }

    /// <summary>
    /// A prompt relayed by Claude Code (<see cref="McpChannelRelay"/>): taken on stdio only, where the verdict can be
    /// sent back; an HTTP client's is ignored (logged) — the server cannot send it a notification.
    /// </summary>
    private static void RelayPermissionRequest(MessageContext context, JsonRpcNotification relayed)
    {
        var services = context.Services ?? context.Server.Services!;
        var relay = services.GetRequiredService<McpChannelRelay>();
        if (McpCaller.FromHttp(context.User, context.Server.SessionId) is not null || services.GetService<McpStdioIdentity>() is not { } stdio)
        {
            Console.Error.WriteLine("orchestrator: a relayed permission request over HTTP is ignored: the verdict can only be sent back on stdio");
            return;
        }
        var stopping = services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        relay.Accept(context.Server, stdio.Caller, relayed, stopping);
    }

    /// <summary>
    /// A gateway tool as the client sees it: the upstream's definition under its <c>mcp__NAME__TOOL</c> name; a changed
    /// definition flagged at the head of its description and in <c>_meta</c> (<c>orchestrator/definitionChanged</c>).
    /// </summary>
    private static Tool Fronted(McpGateway.Listed tool, string? changedFrom) => new()
    {
        Name = tool.Name,
        Title = tool.Definition.Title,
        Description = changedFrom is null ? tool.Definition.Description : ChangedFlag + tool.Definition.Description,
        InputSchema = tool.Definition.InputSchema,
        Annotations = tool.Definition.Annotations,
        Meta = new System.Text.Json.Nodes.JsonObject
        {
            ["orchestrator/definitionDigest"] = tool.Digest,
            ["orchestrator/definitionChanged"] = changedFrom is not null,
        },
    };
}
