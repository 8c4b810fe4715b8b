using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Everything needed to run one call, fixed before anything runs. <see cref="SandboxKind"/> and
/// <see cref="ProfileDigest"/> are what <c>ExecutionStarted</c> records; <see cref="Layers"/> is what the sandbox said
/// it would apply.
/// </summary>
public sealed record ExecutionPlan(
    WorkerKind Worker,
    string SandboxKind,
    string ProfileDigest,
    CommandRequest Request,
    SandboxProfile Profile,
    SandboxLayers Layers) : Core.Lifecycle.IExecutionPlan
{
    public Core.History.Events.RecordedLayers RecordedLayers => Layers.Recorded;
}
