using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>The call's last event. <see cref="ExitCode"/> is set when the call ran.</summary>
[EventManifest("call-completed.v1")]
public sealed record CallCompleted(
    CallId CallId,
    CallOutcome Outcome,
    int? ExitCode,
    string? Detail,
    DateTimeOffset CompletedAt) : CallEvent(CallId);
