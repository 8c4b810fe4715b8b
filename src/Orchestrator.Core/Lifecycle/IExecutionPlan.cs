namespace Orchestrator.Core.Lifecycle;

/// <summary>A run fixed before anything runs; the pipeline records what <c>ExecutionStarted</c> needs and hands the plan back to execute.</summary>
public interface IExecutionPlan
{
    string SandboxKind { get; }
    string ProfileDigest { get; }

    /// <summary>The layers the sandbox said it would apply, recorded with <c>ExecutionStarted</c>.</summary>
    History.Events.RecordedLayers? RecordedLayers => null;
}
