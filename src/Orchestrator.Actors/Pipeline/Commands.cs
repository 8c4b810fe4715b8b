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
public sealed record SubmitCall(ToolCall Call, CallIntent Intent) : ISessionMessage
{
    public SessionId Session => Call.Session;
}

/// <summary>Asks the <see cref="PolicyActor"/> for a verdict; answered with <see cref="CallEvaluated"/>.</summary>
/// <param name="Sandboxed">Whether Orchestrator itself will run the call in its sandbox (false for decide-only).</param>
public sealed record EvaluateCall(ToolCall Call, bool Sandboxed);
