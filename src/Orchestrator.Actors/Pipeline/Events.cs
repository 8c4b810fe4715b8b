using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Pipeline;

/// <summary>The submission is durable: its events are in the journal. <paramref name="State"/> is the state after them.</summary>
public sealed record CallAccepted(CallId CallId, CallState State);

/// <summary>A call with this id was submitted before; nothing new was recorded.</summary>
public sealed record CallAlreadyExists(CallId CallId, CallState State);

/// <summary>The submission could not be recorded (policy unavailable, journal failure); nothing is durable.</summary>
public sealed record CallNotAccepted(CallId CallId, string Reason);

/// <summary>The session belongs to another agent (the one whose call opened it); nothing was recorded.</summary>
public sealed record SessionOwnedByAnotherAgent(CallId CallId, SessionId Session, AgentId Owner);

/// <summary>The session cannot take the parent the call names (another parent already, begun without one, itself); nothing was recorded.</summary>
public sealed record SessionParentRefused(CallId CallId, SessionId Session, SessionId? CurrentParent, string Reason);

/// <summary>The policy's verdict for an <see cref="EvaluateCall"/> of call <paramref name="CallId"/>.</summary>
public sealed record CallEvaluated(CallId CallId, Verdict Verdict)
{
    /// <summary>The workspace policy that judged the call: its sandbox profile is built from this snapshot.</summary>
    public Core.Policy.Workspaces.WorkspacePolicy? Policy { get; init; }
}

/// <summary>The answer was recorded; <paramref name="State"/> is the call after it.</summary>
public sealed record ApprovalAnswerAccepted(CallId CallId, CallState State);

/// <summary>The answer was refused; <see cref="Rejection"/> shows the decision that stands for duplicates and stale answers.</summary>
public sealed record ApprovalAnswerRejected(CallId CallId, Rejection Rejection, CallState State);

/// <summary>
/// The session has recovered; it holds <paramref name="Calls"/> calls in memory (finished ones beyond
/// <see cref="PipelineOptions.FinishedCallsKept"/> are dropped and read from the journal on demand), <paramref name="OpenCalls"/> of them not finished.
/// </summary>
public sealed record SessionAwake(SessionId Session, int Calls, int OpenCalls);
