using System.Collections.Frozen;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// The structured executors by tool name. A tool without one here is refused at planning ("no executor yet"). An
/// executor whose <see cref="IToolExecutor.Tool"/> is an MCP server prefix (<c>mcp__NAME</c>, the MCP gateway's
/// upstreams) runs every tool <c>mcp__NAME__TOOL</c> of that server.
/// </summary>
public sealed class ToolExecutors
{
    private readonly FrozenDictionary<string, IToolExecutor> _byTool;

    public ToolExecutors(IEnumerable<IToolExecutor> executors) =>
        _byTool = executors.ToFrozenDictionary(e => e.Tool, StringComparer.Ordinal);

    /// <summary>Every executor Orchestrator ships: add a tool's executor to this list to make it run.</summary>
    public static ToolExecutors Standard { get; } = new([new Files.ReadTool(), new Files.WriteTool(), new Files.EditTool(), new Files.MultiEditTool(), new GlobTool(), new GrepTool(), new Web.WebFetchTool()]);

    public IToolExecutor? For(string tool) =>
        _byTool.GetValueOrDefault(tool)
        ?? (Core.Calls.McpTools.Split(tool) is var (server, _) ? _byTool.GetValueOrDefault(Core.Calls.McpTools.Prefix + server) : null);

    /// <summary>These executors and <paramref name="more"/> (which win over a standard one of the same tool).</summary>
    public ToolExecutors With(IEnumerable<IToolExecutor> more) =>
        new(_byTool.Values.Where(e => !more.Any(m => m.Tool == e.Tool)).Concat(more));

    public IEnumerable<string> Tools => _byTool.Keys;
}
