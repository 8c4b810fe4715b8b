using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>Persisted before the process is spawned; without a matching <see cref="ExecutionFinished"/> the call is interrupted on recovery.</summary>
[EventManifest("execution-started.v1")]
public sealed record ExecutionStarted(
    CallId CallId,
    string SandboxKind,
    string ProfileDigest,
    DateTimeOffset StartedAt) : CallEvent(CallId);
