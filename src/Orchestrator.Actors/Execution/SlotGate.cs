using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// The execution slots themselves, shared by every session and consulted synchronously: at most <see cref="MaxRuns"/>
/// runs in all and <see cref="MaxRunsPerAgent"/> per agent. A call that finds a slot free takes it without a message;
/// one that finds none waits in a queue that is fair across agents, and when a slot frees it goes to the next agent in
/// turn that is under its own cap (its session is told <see cref="SlotGranted"/>), so one agent's flood of runs never
/// delays another agent by more than the runs already going. Every operation holds one lock, so after each one either
/// all slots are taken or no waiting agent is under its cap: a free slot seen by <see cref="Take"/> is nobody else's turn.
/// A slot is held until <see cref="Release"/>, or <see cref="ReleaseAllOf"/> when its session stops.
/// </summary>
public sealed class SlotGate
{
    private const int MaxWaitingPerAgent = 10_000;
    private const int MaxWaiting = 100_000;

    private readonly object _lock = new();
    private readonly FairAdmissionQueue<Waiting> _waiting = new(MaxWaiting, MaxWaitingPerAgent, drainPerSecond: 1);
    private readonly Dictionary<CallId, (IActorRef Session, AgentId Agent)> _holders = [];
    private readonly Dictionary<AgentId, int> _running = [];
    /// <summary>Calls still in the wait queue that no longer want a slot: skipped when their turn comes.</summary>
    private readonly HashSet<CallId> _gone = [];
    private readonly Dictionary<CallId, IActorRef> _waitingCalls = [];

    public SlotGate(int maxRuns, int maxRunsPerAgent)
    {
        MaxRuns = Math.Max(1, maxRuns);
        MaxRunsPerAgent = Math.Max(1, maxRunsPerAgent);
    }

    public int MaxRuns { get; }
    public int MaxRunsPerAgent { get; }

    /// <summary>
    /// Takes a slot for <paramref name="callId"/> of <paramref name="agent"/>'s <paramref name="session"/>:
    /// <see cref="SlotGranted"/> now, or <see cref="SlotQueued"/> (the session is told <see cref="SlotGranted"/> in its
    /// turn), or <see cref="SlotRefused"/> when even the wait queue is full.
    /// </summary>
    public SlotAnswer Take(CallId callId, AgentId agent, IActorRef session)
    {
        lock (_lock)
        {
            if (_holders.ContainsKey(callId)) return new SlotGranted(callId);
            if (_waitingCalls.ContainsKey(callId)) return new SlotQueued(callId, "already waiting for a slot");
            if (_holders.Count < MaxRuns && RunningFor(agent) < MaxRunsPerAgent)
            {
                Hold(session, agent, callId);
                return new SlotGranted(callId);
            }
            if (!_waiting.TryEnqueue(agent, new Waiting(session, callId)).Accepted)
                return new SlotRefused(callId, $"too many executions waiting ({MaxWaiting} in all, {MaxWaitingPerAgent} per agent)");
            _waitingCalls[callId] = session;
            var reason = RunningFor(agent) >= MaxRunsPerAgent
                ? $"agent {agent} has {RunningFor(agent)} runs going (at most {MaxRunsPerAgent} per agent)"
                : $"{_holders.Count} runs going (at most {MaxRuns} at once)";
            return new SlotQueued(callId, reason);
        }
    }

    /// <summary>The call is done with its slot (it ended, or no longer waits for one); the next call in turn gets it.</summary>
    public void Release(CallId callId)
    {
        List<Waiting> granted;
        lock (_lock)
        {
            Free(callId);
            granted = GrantWaiting();
        }
        Tell(granted);
    }

    /// <summary>The session stopped: every slot it held or waited for is given back.</summary>
    public void ReleaseAllOf(IActorRef session)
    {
        List<Waiting> granted;
        lock (_lock)
        {
            foreach (var callId in _holders.Where(h => h.Value.Session.Equals(session)).Select(h => h.Key).ToList()) Free(callId);
            foreach (var callId in _waitingCalls.Where(w => w.Value.Equals(session)).Select(w => w.Key).ToList()) Free(callId);
            granted = GrantWaiting();
        }
        Tell(granted);
    }

    public SlotUsage Usage()
    {
        lock (_lock) return new SlotUsage(_holders.Count, _waitingCalls.Count, new Dictionary<AgentId, int>(_running));
    }

    private int RunningFor(AgentId agent) => _running.GetValueOrDefault(agent);

    private void Hold(IActorRef session, AgentId agent, CallId callId)
    {
        _holders[callId] = (session, agent);
        _running[agent] = RunningFor(agent) + 1;
    }

    private void Free(CallId callId)
    {
        if (_holders.Remove(callId, out var holder))
        {
            if (_running[holder.Agent] <= 1) _running.Remove(holder.Agent);
            else _running[holder.Agent]--;
        }
        else if (_waitingCalls.Remove(callId)) _gone.Add(callId);
    }

    private List<Waiting> GrantWaiting()
    {
        var granted = new List<Waiting>();
        while (_holders.Count < MaxRuns && _waiting.TryDequeue(a => RunningFor(a) < MaxRunsPerAgent, out var agent, out var next))
        {
            if (_gone.Remove(next.CallId)) continue;
            _waitingCalls.Remove(next.CallId);
            Hold(next.Session, agent, next.CallId);
            granted.Add(next);
        }
        return granted;
    }

    /// <summary>Outside the lock: the sessions whose turn came learn it by message (the only message on the slots' path).</summary>
    private static void Tell(List<Waiting> granted)
    {
        foreach (var next in granted) next.Session.Tell(new SlotGranted(next.CallId), ActorRefs.NoSender);
    }

    private sealed record Waiting(IActorRef Session, CallId CallId);
}
