using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Actors.Execution;

/// <summary>
/// <c>execution-slots</c>: caps concurrent executions at <see cref="MaxRuns"/> in all and <see cref="MaxRunsPerAgent"/>
/// per agent. A driver that finds no slot waits (its call is recorded as queued) in a queue that is fair across
/// agents: when a slot frees it goes to the next agent in turn that is under its own cap, so one agent's flood of runs
/// never delays another agent by more than the runs already going. A slot is held until its driver stops (watched), so
/// a crashed driver never leaks one.
/// </summary>
public sealed class ExecutionSlots : ReceiveActor
{
    public const string Name = "execution-slots";
    public const string StageName = "execution slots";
    private const int MaxWaitingPerAgent = 10_000;
    private const int MaxWaiting = 100_000;

    private readonly FairAdmissionQueue<Waiting> _waiting = new(MaxWaiting, MaxWaitingPerAgent, drainPerSecond: 1);
    private readonly Dictionary<IActorRef, AgentId> _holders = [];
    private readonly Dictionary<AgentId, int> _running = [];
    private readonly HashSet<IActorRef> _gone = [];
    private int _waitingCount;

    public ExecutionSlots(int maxRuns, int maxRunsPerAgent)
    {
        MaxRuns = Math.Max(1, maxRuns);
        MaxRunsPerAgent = Math.Max(1, maxRunsPerAgent);
        Receive<RequestSlot>(Request);
        Receive<Terminated>(msg => Released(msg.ActorRef));
        Receive<GetSlotUsage>(_ => Sender.Tell(new SlotUsage(_holders.Count, _waitingCount, new Dictionary<AgentId, int>(_running))));
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
        if (_holders.ContainsKey(Sender))
        {
            Sender.Tell(new SlotGranted(msg.CallId));
            return;
        }
        Context.Watch(Sender);
        // After every message either all slots are taken or no waiting agent is under its cap, so a free slot here
        // is nobody else's turn.
        if (_holders.Count < MaxRuns && RunningFor(msg.Agent) < MaxRunsPerAgent)
        {
            Grant(Sender, msg.Agent, msg.CallId);
            return;
        }
        if (!_waiting.TryEnqueue(msg.Agent, new Waiting(Sender, msg.CallId)).Accepted)
        {
            Context.Unwatch(Sender);
            Sender.Tell(new SlotRefused(msg.CallId, $"too many executions waiting ({MaxWaiting} in all, {MaxWaitingPerAgent} per agent)"));
            return;
        }
        _waitingCount++;
        var reason = RunningFor(msg.Agent) >= MaxRunsPerAgent
            ? $"agent {msg.Agent} has {RunningFor(msg.Agent)} runs going (at most {MaxRunsPerAgent} per agent)"
            : $"{_holders.Count} runs going (at most {MaxRuns} at once)";
        Sender.Tell(new SlotQueued(msg.CallId, reason));
    }

    private void Grant(IActorRef driver, AgentId agent, CallId callId)
    {
        _holders[driver] = agent;
        _running[agent] = RunningFor(agent) + 1;
        driver.Tell(new SlotGranted(callId));
    }

    private void Released(IActorRef driver)
    {
        if (_holders.Remove(driver, out var agent))
        {
            if (_running[agent] <= 1) _running.Remove(agent);
            else _running[agent]--;
        }
        else _gone.Add(driver); // a waiting driver stopped: skipped when its turn comes
        GrantWaiting();
    }

    private void GrantWaiting()
    {
        while (_holders.Count < MaxRuns && _waiting.TryDequeue(a => RunningFor(a) < MaxRunsPerAgent, out var agent, out var next))
        {
            _waitingCount--;
            if (_gone.Remove(next.Driver)) continue;
            Grant(next.Driver, agent, next.CallId);
        }
    }

    private sealed record Waiting(IActorRef Driver, CallId CallId);
}
