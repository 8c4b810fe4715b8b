using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// The process ran to an end (any exit code, timeout or signal); <see cref="Result"/> is what <c>ExecutionFinished</c>
/// records, its bounded output included.
/// </summary>
public sealed record CallExecuted(CallId CallId, ExecutionResult Result);

/// <summary>
/// The call did not run to an end under our watch. When <see cref="ProcessMayHaveStarted"/> is true its side effects
/// may have happened (its process group was killed); the call must be recorded as interrupted, never retried.
/// </summary>
public sealed record CallExecutionFailed(CallId CallId, string Reason, bool ProcessMayHaveStarted);
