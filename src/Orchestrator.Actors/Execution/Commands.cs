using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// Run a planned call. Sent to the sandbox supervisor by the actor that persisted <c>ExecutionStarted</c>; that sender
/// gets exactly one <see cref="CallExecuted"/> or <see cref="CallExecutionFailed"/>.
/// </summary>
public sealed record ExecuteCall(CallId CallId, ExecutionPlan Plan) : Stages.ICallScoped
{
    public CallId? ScopedCallId => CallId;
}
