using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Asks a session for one call; answered with <see cref="CallSnapshot"/> or <see cref="CallNotFound"/>.</summary>
public sealed record GetCall(SessionId Session, CallId CallId) : ISessionMessage;

public sealed record CallSnapshot(CallState State);

public sealed record CallNotFound(CallId CallId);
