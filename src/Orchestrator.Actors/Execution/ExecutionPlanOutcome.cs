namespace Orchestrator.Actors.Execution;

/// <summary>What <see cref="ExecutionPlanner"/> answers: a plan to run, or why the call cannot be run.</summary>
public abstract record ExecutionPlanOutcome
{
    private ExecutionPlanOutcome()
    {
    }

    public sealed record Planned(ExecutionPlan Plan) : ExecutionPlanOutcome;

    /// <summary>A structured call planned onto its in-process executor.</summary>
    public sealed record ToolPlanned(ToolPlan Plan) : ExecutionPlanOutcome;

    public sealed record Refused(string Reason) : ExecutionPlanOutcome;
}
