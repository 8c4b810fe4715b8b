using System.CommandLine;
using Orchestrator.Server.Mcp.Gateway;

namespace Orchestrator.Cli.Commands;

/// <summary><c>--upstream NAME=COMMAND [ARGS…]</c> / <c>NAME=https://…</c> (repeatable): the MCP servers the gateway fronts, for <c>mcp</c> and <c>serve</c>.</summary>
internal static class McpUpstreamOption
{
    public static readonly Option<string[]> Upstream = new("--upstream")
    {
        Description = "An MCP server to front (repeatable): NAME=COMMAND [ARGS…] (stdio) or NAME=https://… ; its tools are offered as mcp__NAME__TOOL, judged by mcp__ rules",
    };

    public static (IReadOnlyList<McpUpstreamSpec> Specs, string? Problem) Parse(ParseResult result)
    {
        var specs = new List<McpUpstreamSpec>();
        foreach (var text in result.GetValue(Upstream) ?? [])
        {
            var (spec, problem) = McpUpstreamSpec.Parse(text);
            if (problem is not null) return ([], problem);
            if (specs.Any(s => s.Name == spec!.Name)) return ([], $"--upstream {spec!.Name} is given twice");
            specs.Add(spec!);
        }
        return (specs, null);
    }
}
