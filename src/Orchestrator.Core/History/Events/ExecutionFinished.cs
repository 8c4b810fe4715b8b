using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

[EventManifest("execution-finished.v1")]
public sealed record ExecutionFinished(
    CallId CallId,
    ExecutionResult Result,
    DateTimeOffset FinishedAt) : CallEvent(CallId)
{
    /// <summary>
    /// How many post hooks (PostToolUse or PostToolUseFailure) were to run after this run; their
    /// <see cref="PostToolHooksRan"/> follows. Null (and in events written before post hooks ran) when none.
    /// </summary>
    public int? PostHooks { get; init; }
}
