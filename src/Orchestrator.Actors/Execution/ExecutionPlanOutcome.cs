namespace Orchestrator.Actors.Execution;

/// <summary>What <see cref="ExecutionPlanner"/> answers: a plan to run, or why the call cannot be run.</summary>
public abstract record ExecutionPlanOutcome
{
    private ExecutionPlanOutcome()
    {
    }

    public sealed record Planned(ExecutionPlan Plan) : ExecutionPlanOutcome;

    public sealed record Refused(string Reason) : ExecutionPlanOutcome;
}
