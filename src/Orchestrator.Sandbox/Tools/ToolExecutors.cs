using System.Collections.Frozen;

namespace Orchestrator.Sandbox.Tools;

/// <summary>The structured executors by tool name. A tool without one here is refused at planning ("no executor yet").</summary>
public sealed class ToolExecutors
{
    private readonly FrozenDictionary<string, IToolExecutor> _byTool;

    public ToolExecutors(IEnumerable<IToolExecutor> executors) =>
        _byTool = executors.ToFrozenDictionary(e => e.Tool, StringComparer.Ordinal);

    /// <summary>Every executor Orchestrator ships: add a tool's executor to this list to make it run.</summary>
    public static ToolExecutors Standard { get; } = new([new Files.ReadTool(), new Files.WriteTool(), new Files.EditTool(), new Files.MultiEditTool(), new GlobTool(), new GrepTool(), new Web.WebFetchTool()]);

    public IToolExecutor? For(string tool) => _byTool.GetValueOrDefault(tool);

    public IEnumerable<string> Tools => _byTool.Keys;
}
