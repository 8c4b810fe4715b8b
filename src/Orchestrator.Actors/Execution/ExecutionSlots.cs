using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// <c>execution-slots</c>: caps concurrent executions at <see cref="MaxRuns"/> in all and <see cref="MaxRunsPerAgent"/>
/// per agent. A call that finds no slot waits (recorded as queued) in a queue that is fair across agents: when a slot
/// frees it goes to the next agent in turn that is under its own cap, so one agent's flood of runs never delays another
/// agent by more than the runs already going. A slot is held by its call until <see cref="ReleaseSlot"/>, or until the
/// session that asked stops (watched), so a crashed session never leaks one.
/// </summary>
public sealed class ExecutionSlots : ReceiveActor
{
    public const string Name = "execution-slots";
    public const string StageName = "execution slots";
    private const int MaxWaitingPerAgent = 10_000;
    private const int MaxWaiting = 100_000;

    private readonly FairAdmissionQueue<Waiting> _waiting = new(MaxWaiting, MaxWaitingPerAgent, drainPerSecond: 1);
    private readonly Dictionary<CallId, (IActorRef Session, AgentId Agent)> _holders = [];
    private readonly Dictionary<AgentId, int> _running = [];
    /// <summary>Calls still in the wait queue that no longer want a slot: skipped when their turn comes.</summary>
    private readonly HashSet<CallId> _gone = [];
    private readonly Dictionary<CallId, IActorRef> _waitingCalls = [];
    private readonly Dictionary<IActorRef, int> _watched = [];

    public ExecutionSlots(int maxRuns, int maxRunsPerAgent)
    {
        MaxRuns = Math.Max(1, maxRuns);
        MaxRunsPerAgent = Math.Max(1, maxRunsPerAgent);
        Receive<RequestSlot>(Request);
        Receive<ReleaseSlot>(msg => Release(msg.CallId));
        Receive<Terminated>(msg => SessionStopped(msg.ActorRef));
        Receive<GetSlotUsage>(_ => Sender.Tell(new SlotUsage(_holders.Count, _waitingCalls.Count, new Dictionary<AgentId, int>(_running))));
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public int MaxRuns { get; }
    public int MaxRunsPerAgent { get; }

    public static Props Props(int maxRuns, int maxRunsPerAgent) =>
        Akka.Actor.Props.Create(() => new ExecutionSlots(maxRuns, maxRunsPerAgent));

    protected override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(StageName, () => base.AroundReceive(receive, message), message, Sender, Context);

    private int RunningFor(AgentId agent) => _running.GetValueOrDefault(agent);

    private void Request(RequestSlot msg)
    {
        if (_holders.ContainsKey(msg.CallId))
        {
            Sender.Tell(new SlotGranted(msg.CallId));
            return;
        }
        if (_waitingCalls.ContainsKey(msg.CallId)) return;
        // After every message either all slots are taken or no waiting agent is under its cap, so a free slot here
        // is nobody else's turn.
        if (_holders.Count < MaxRuns && RunningFor(msg.Agent) < MaxRunsPerAgent)
        {
            Grant(Sender, msg.Agent, msg.CallId);
            return;
        }
        if (!_waiting.TryEnqueue(msg.Agent, new Waiting(Sender, msg.CallId)).Accepted)
        {
            Sender.Tell(new SlotRefused(msg.CallId, $"too many executions waiting ({MaxWaiting} in all, {MaxWaitingPerAgent} per agent)"));
            return;
        }
        _waitingCalls[msg.CallId] = Sender;
        Watch(Sender);
        var reason = RunningFor(msg.Agent) >= MaxRunsPerAgent
            ? $"agent {msg.Agent} has {RunningFor(msg.Agent)} runs going (at most {MaxRunsPerAgent} per agent)"
            : $"{_holders.Count} runs going (at most {MaxRuns} at once)";
        Sender.Tell(new SlotQueued(msg.CallId, reason));
    }

    private void Grant(IActorRef session, AgentId agent, CallId callId)
    {
        _holders[callId] = (session, agent);
        _running[agent] = RunningFor(agent) + 1;
        Watch(session);
        session.Tell(new SlotGranted(callId));
    }

    private void Release(CallId callId)
    {
        if (_holders.Remove(callId, out var holder))
        {
            if (_running[holder.Agent] <= 1) _running.Remove(holder.Agent);
            else _running[holder.Agent]--;
            Unwatch(holder.Session);
        }
        else if (_waitingCalls.Remove(callId, out var waiter))
        {
            _gone.Add(callId);
            Unwatch(waiter);
        }
        GrantWaiting();
    }

    private void SessionStopped(IActorRef session)
    {
        _watched.Remove(session);
        foreach (var callId in _holders.Where(h => h.Value.Session.Equals(session)).Select(h => h.Key).ToList()) Release(callId);
        foreach (var callId in _waitingCalls.Where(w => w.Value.Equals(session)).Select(w => w.Key).ToList()) Release(callId);
    }

    private void Watch(IActorRef session)
    {
        if (_watched.TryGetValue(session, out var count)) _watched[session] = count + 1;
        else
        {
            _watched[session] = 1;
            Context.Watch(session);
        }
    }

    private void Unwatch(IActorRef session)
    {
        if (!_watched.TryGetValue(session, out var count)) return;
        if (count > 1) _watched[session] = count - 1;
        else
        {
            _watched.Remove(session);
            Context.Unwatch(session);
        }
    }

    private void GrantWaiting()
    {
        while (_holders.Count < MaxRuns && _waiting.TryDequeue(a => RunningFor(a) < MaxRunsPerAgent, out var agent, out var next))
        {
            if (_gone.Remove(next.CallId)) continue;
            _waitingCalls.Remove(next.CallId);
            Unwatch(next.Session);
            Grant(next.Session, agent, next.CallId);
        }
    }

    private sealed record Waiting(IActorRef Session, CallId CallId);
}
