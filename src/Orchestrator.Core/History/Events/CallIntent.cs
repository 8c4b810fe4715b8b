namespace Orchestrator.Core.History.Events;

/// <summary>Whether Orchestrator runs the call or only decides it (the hook adapter and <c>/v1/check</c>).</summary>
public enum CallIntent
{
    Execute,
    DecideOnly,
}
