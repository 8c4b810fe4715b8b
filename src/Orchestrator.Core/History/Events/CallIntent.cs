namespace Orchestrator.Core.History.Events;

/// <summary>
/// Whether Orchestrator runs the call (<see cref="Execute"/>), only decides it (<see cref="DecideOnly"/>: the hook
/// adapter and <c>/v1/check</c>), or decides it and puts an ask to a person without ever running it
/// (<see cref="Relay"/>: a permission prompt relayed by the tool's own host, which runs the tool itself).
/// </summary>
public enum CallIntent
{
    Execute,
    DecideOnly,
    Relay,
}

public static class CallIntents
{
    /// <summary>An ask raises an approval (for a person or the automatic approver) instead of ending the call.</summary>
    public static bool RaisesApprovals(this CallIntent intent) => intent != CallIntent.DecideOnly;
}
