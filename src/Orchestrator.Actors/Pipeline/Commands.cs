using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Pipeline;

/// <summary>A message the <see cref="SessionRouter"/> forwards to the session it names.</summary>
public interface ISessionMessage
{
    SessionId Session { get; }
}

/// <summary>
/// Submits a tool call. Answered with <see cref="CallAccepted"/> once its first event is persisted,
/// <see cref="CallAlreadyExists"/> for an id already known, or <see cref="CallNotAccepted"/>.
/// </summary>
/// <remarks>
/// A call naming a parent session (<see cref="ToolCall.ParentSession"/>) carries <see cref="ParentAgent"/>, the parent's
/// owner as ingress found it when it checked the declaration; without it the session refuses the declaration.
/// </remarks>
public sealed record SubmitCall(ToolCall Call, CallIntent Intent) : ISessionMessage
{
    public SessionId Session => Call.Session;

    public AgentId? ParentAgent { get; init; }
}

/// <summary>Asks the <see cref="PolicyActor"/> for a verdict; answered (to the sender) with <see cref="CallEvaluated"/> tagged by call id.</summary>
/// <param name="Sandboxed">Whether Orchestrator itself will run the call in its sandbox (false for decide-only).</param>
public sealed record EvaluateCall(ToolCall Call, bool Sandboxed) : Stages.ICallScoped
{
    public CallId? ScopedCallId => Call?.Id;
}

/// <summary>
/// An operator's answer, routed by the approval broker to the session holding the call. Answered with
/// <see cref="ApprovalAnswerAccepted"/> or <see cref="ApprovalAnswerRejected"/> (duplicate, stale, unknown).
/// </summary>
public sealed record AnswerApproval(SessionId Session, CallId CallId, ApprovalAnswer Answer) : ISessionMessage;

/// <summary>Starts a session (replaying its journal, applying the recovery table); answered with <see cref="SessionAwake"/>.</summary>
public sealed record WakeSession(SessionId Session) : ISessionMessage;
