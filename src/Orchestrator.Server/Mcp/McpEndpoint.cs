using Microsoft.Extensions.DependencyInjection;
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

    public static IMcpServerBuilder AddOrchestratorMcp(this IServiceCollection services)
    {
        services.AddSingleton<McpToolCalls>();
        return services
            .AddMcpServer(o => o.ServerInfo = new Implementation
            {
                Name = "orchestrator",
                Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "0",
            })
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = McpGatedTools.Listed() }))
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
}
