using Orchestrator.Core.History.Events;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// How a structured call ended: <see cref="Output"/> is what the agent reads (recorded as stdout, under the run's
/// output cap), <see cref="Error"/> a clear one-line reason when it failed (recorded as stderr, exit code 1), and
/// <see cref="Record"/> the facts recorded with it (range and digest read, digests and diff written).
/// </summary>
public sealed record ToolOutcome(bool Succeeded, string Output, string? Error, ToolRecord? Record)
{
    public static ToolOutcome Ok(string output, ToolRecord? record = null) => new(true, output, null, record);

    public static ToolOutcome Failed(string error, ToolRecord? record = null) => new(false, "", error, record);

    public int ExitCode => Succeeded ? 0 : 1;
}
