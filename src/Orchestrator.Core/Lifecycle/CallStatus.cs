namespace Orchestrator.Core.Lifecycle;

/// <summary>Where a call is in its life. <see cref="Completed"/> and <see cref="Interrupted"/> are terminal.</summary>
public enum CallStatus
{
    /// <summary>Nothing recorded for this call id.</summary>
    New,
    Received,
    /// <summary>Decided; for allow it waits to run, for ask it waits for an approval request, otherwise its completion.</summary>
    Decided,
    AwaitingApproval,
    Approved,
    Executing,
    Finished,
    Completed,
    Interrupted,
    /// <summary>May run, waiting for an execution slot (<see cref="History.Events.ExecutionQueued"/>).</summary>
    Queued,
}

public static class CallStatusExtensions
{
    public static bool IsTerminal(this CallStatus status) => status is CallStatus.Completed or CallStatus.Interrupted;
}
