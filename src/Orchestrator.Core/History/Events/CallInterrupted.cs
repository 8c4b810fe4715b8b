using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>The call's last event when execution may have started but its end is unknown; it is never re-executed.</summary>
[EventManifest("call-interrupted.v1")]
public sealed record CallInterrupted(
    CallId CallId,
    string Reason,
    DateTimeOffset InterruptedAt) : CallEvent(CallId);
