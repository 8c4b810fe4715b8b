using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// A session asks for an execution slot for one call before it records <c>ExecutionStarted</c>. Answered with
/// <see cref="SlotGranted"/> at once when one is free, else <see cref="SlotQueued"/> now and <see cref="SlotGranted"/>
/// in turn later (or <see cref="SlotRefused"/> when even the wait queue is full). The slot is the call's until
/// <see cref="ReleaseSlot"/> or until the asking session stops.
/// </summary>
public sealed record RequestSlot(CallId CallId, AgentId Agent);

/// <summary>The call is done with its slot (it ended, or no longer waits for one).</summary>
public sealed record ReleaseSlot(CallId CallId);

public sealed record SlotGranted(CallId CallId);

/// <summary>No slot now: <paramref name="Reason"/> names the cap that is reached; a <see cref="SlotGranted"/> follows.</summary>
public sealed record SlotQueued(CallId CallId, string Reason);

public sealed record SlotRefused(CallId CallId, string Reason);

/// <summary>Answered with <see cref="SlotUsage"/>.</summary>
public sealed record GetSlotUsage
{
    public static GetSlotUsage Instance { get; } = new();
}

/// <summary>Runs going and calls waiting, in all and per agent (agents with none are left out).</summary>
public sealed record SlotUsage(int Running, int Waiting, IReadOnlyDictionary<AgentId, int> RunningByAgent);
