using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// What <see cref="SlotGate.Take"/> answers a session asking for an execution slot for one call before it records
/// <c>ExecutionStarted</c>: <see cref="SlotGranted"/> when one is free, else <see cref="SlotQueued"/> now and a
/// <see cref="SlotGranted"/> message in turn later (or <see cref="SlotRefused"/> when even the wait queue is full).
/// </summary>
public abstract record SlotAnswer(CallId CallId);

/// <summary>The slot is the call's: the answer of a free slot, and the message to a waiting session whose turn came.</summary>
public sealed record SlotGranted(CallId CallId) : SlotAnswer(CallId);

/// <summary>No slot now: <paramref name="Reason"/> names the cap that is reached; a <see cref="SlotGranted"/> message follows.</summary>
public sealed record SlotQueued(CallId CallId, string Reason) : SlotAnswer(CallId);

public sealed record SlotRefused(CallId CallId, string Reason) : SlotAnswer(CallId);

/// <summary>Answered with <see cref="SlotUsage"/>.</summary>
public sealed record GetSlotUsage
{
    public static GetSlotUsage Instance { get; } = new();
}

/// <summary>Runs going and calls waiting, in all and per agent (agents with none are left out).</summary>
public sealed record SlotUsage(int Running, int Waiting, IReadOnlyDictionary<AgentId, int> RunningByAgent);
