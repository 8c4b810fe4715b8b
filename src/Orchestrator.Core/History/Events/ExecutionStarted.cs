using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// Persisted before the process is spawned; without a matching <see cref="ExecutionFinished"/> the call is interrupted
/// on recovery. <see cref="Layers"/> is what the sandbox said it would apply (absent in events written before it was
/// recorded).
/// </summary>
[EventManifest("execution-started.v1")]
public sealed record ExecutionStarted(
    CallId CallId,
    string SandboxKind,
    string ProfileDigest,
    DateTimeOffset StartedAt,
    RecordedLayers? Layers = null) : CallEvent(CallId)
{
    /// <summary>The sandbox of the run in one line: its kind with its recorded layers, or the kind alone.</summary>
    public string DescribeSandbox() => Layers?.Describe(SandboxKind) ?? SandboxKind;
}
