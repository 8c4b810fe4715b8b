using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The call may run but waits for an execution slot (the global or its agent's cap on concurrent runs is reached);
/// <see cref="Reason"/> says which. It runs, in turn, once a slot frees; after a restart it is started again like an
/// allowed call that had not started.
/// </summary>
[EventManifest("execution-queued.v1")]
public sealed record ExecutionQueued(CallId CallId, string Reason, DateTimeOffset QueuedAt) : CallEvent(CallId);
