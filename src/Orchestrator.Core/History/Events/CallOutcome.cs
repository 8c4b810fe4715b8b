namespace Orchestrator.Core.History.Events;

/// <summary>How a call ended, as the agent sees it.</summary>
public enum CallOutcome
{
    AllowedAndRan,
    Denied,
    ApprovalDenied,
    ApprovalTimedOut,
    DecidedOnly,
    Failed,
    /// <summary>Execution started but never finished (crash); recorded by <see cref="CallInterrupted"/>, never by <see cref="CallCompleted"/>.</summary>
    Interrupted,
}
