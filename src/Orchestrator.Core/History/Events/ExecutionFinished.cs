using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

[EventManifest("execution-finished.v1")]
public sealed record ExecutionFinished(
    CallId CallId,
    ExecutionResult Result,
    DateTimeOffset FinishedAt) : CallEvent(CallId);
