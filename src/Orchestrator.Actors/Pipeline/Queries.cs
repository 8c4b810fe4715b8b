using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Asks a session for one call; answered with <see cref="CallSnapshot"/> or <see cref="CallNotFound"/>.</summary>
public sealed record GetCall(SessionId Session, CallId CallId) : ISessionMessage;

/// <summary>
/// Like <see cref="GetCall"/>, but answered only once the call is terminal (completed or interrupted) — at once if it
/// already is. The asker bounds the wait with its own timeout.
/// </summary>
public sealed record WatchCall(SessionId Session, CallId CallId) : ISessionMessage;

/// <summary>One call's state and, while this process remembers it, the output of its run.</summary>
public sealed record CallSnapshot(CallState State, CallOutput? Output = null);

public sealed record CallNotFound(CallId CallId);

/// <summary>The bounded output of a call's process as captured (head and tail when truncated); kept in memory only.</summary>
public sealed record CallOutput(string Stdout, string Stderr, bool StdoutTruncated, bool StderrTruncated);
