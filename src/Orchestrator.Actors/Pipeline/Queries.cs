using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Asks a session for one call; answered with <see cref="CallSnapshot"/> or <see cref="CallNotFound"/>.</summary>
public sealed record GetCall(SessionId Session, CallId CallId) : ISessionMessage;

/// <summary>
/// Like <see cref="GetCall"/>, but answered only once the call is terminal (completed or interrupted) — at once if it
/// already is. The asker bounds the wait with its own timeout.
/// </summary>
public sealed record WatchCall(SessionId Session, CallId CallId) : ISessionMessage;

/// <summary>
/// One call's state and the output of its run when the session holds it (<c>null</c>: no run, a run recorded before
/// outputs were, or one not among the session's recent outputs — then the recorded <c>ExecutionFinished</c> has it).
/// </summary>
public sealed record CallSnapshot(CallState State, CallOutput? Output = null);

public sealed record CallNotFound(CallId CallId);

/// <summary>Asks a session who owns it and its parent; answered with <see cref="SessionTeam"/> (owner null: no call was ever submitted to it).</summary>
public sealed record GetSessionTeam(SessionId Session) : ISessionMessage;

public sealed record SessionTeam(SessionId Session, AgentId? Owner, SessionId? Parent);

/// <summary>The bounded output of a call's process as text (head and tail when truncated), from what its end recorded.</summary>
public sealed record CallOutput(string Stdout, string Stderr, bool StdoutTruncated, bool StderrTruncated)
{
    /// <summary>The output a run recorded (<see cref="OutputText"/> of each kept stream); null when it recorded none.</summary>
    public static CallOutput? From(ExecutionResult result) => result.Output is { } kept
        ? new CallOutput(kept.Stdout.Text(result.StdoutBytes), kept.Stderr.Text(result.StderrBytes), result.StdoutTruncated, result.StderrTruncated)
        : null;
}
