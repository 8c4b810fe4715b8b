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

/// <summary>The policy's verdict for an <see cref="EvaluateCall"/>.</summary>
public sealed record CallEvaluated(Verdict Verdict);
