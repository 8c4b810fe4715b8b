using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// A structured call planned onto its in-process executor (<see cref="IToolExecutor"/>): recorded by
/// <c>ExecutionStarted</c> as sandbox kind <see cref="SandboxKindName"/> with the digest of its input and profile, then
/// run by <see cref="ToolExecution"/>.
/// </summary>
public sealed record ToolPlan(IToolExecutor Executor, ToolRun Run, string ProfileDigest) : Core.Lifecycle.IExecutionPlan
{
    /// <summary>The sandbox kind recorded for every structured call: executed by Orchestrator itself.</summary>
    public const string SandboxKindName = "orchestrator-tools";

    public string SandboxKind => SandboxKindName;

    /// <summary>How the executor confines its file access (see <see cref="Sandbox.Files.BeneathOpen.Mechanism"/>).
    /// An MCP gateway call is forwarded to its upstream server, which Orchestrator does not confine: no layer is claimed.</summary>
    public RecordedLayers RecordedLayers => Core.Calls.McpTools.IsMcp(Executor.Tool) ? new([], []) : new([Sandbox.Files.BeneathOpen.Mechanism], []);
}
