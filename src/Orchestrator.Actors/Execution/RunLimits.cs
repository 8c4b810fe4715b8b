using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Bounds a host puts on every run it plans, beyond the defaults (<c>orchestrator run --memory --max-processes
/// --max-output --timeout</c> hosting the pipeline for one call): null members keep the planner's defaults.
/// </summary>
public sealed record RunLimits
{
    public ResourceLimits? Resources { get; init; }

    /// <summary>Bytes kept from the start and from the end of each stream.</summary>
    public OutputLimits? Output { get; init; }

    /// <summary>The longest <c>timeout</c> a call may ask for (default <see cref="ExecutionPlanner.MaxTimeout"/>).</summary>
    public TimeSpan? MaxTimeout { get; init; }

    /// <summary>The bounds of structured calls (Read, Write, Edit, …); null: <see cref="Sandbox.Tools.ToolLimits.Default"/>.</summary>
    public Sandbox.Tools.ToolLimits? Tools { get; init; }
}
