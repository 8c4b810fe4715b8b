namespace Orchestrator.Core.Lifecycle;

public enum CallCommandOutcome
{
    /// <summary>Persist <see cref="CallCommandResult.Events"/> (in order, as one write), then the state is <see cref="CallCommandResult.State"/>.</summary>
    Accepted,
    Rejected,
    /// <summary>A submission reused the id of a call that exists: nothing to persist, answer with its state.</summary>
    AlreadyExists,
}
