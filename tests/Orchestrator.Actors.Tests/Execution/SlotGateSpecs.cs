using Akka.Actor;
using Orchestrator.Actors.Execution;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>The execution slots taken synchronously: a free slot costs no message, a waiting call hears of its turn.</summary>
public sealed class SlotGateSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static CallId Id(string id) => new(id);

    private static AgentId Agent(string agent) => new(agent);

    [Fact]
    public void A_free_slot_is_granted_in_the_answer_and_no_message_is_sent()
    {
        var gate = new SlotGate(maxRuns: 2, maxRunsPerAgent: 2);
        var session = CreateTestProbe();

        Assert.IsType<SlotGranted>(gate.Take(Id("a1"), Agent("a"), session));
        Assert.IsType<SlotGranted>(gate.Take(Id("a1"), Agent("a"), session));
        gate.Release(Id("a1"));

        Assert.False(session.HasMessages);
        Assert.Equal(0, gate.Usage().Running);
    }

    [Fact]
    public void Calls_beyond_the_caps_wait_with_the_cap_named_and_get_their_slot_by_message_in_fair_turn_across_agents()
    {
        var gate = new SlotGate(maxRuns: 2, maxRunsPerAgent: 1);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        gate.Take(Id("a1"), Agent("a"), a);

        var a2 = Assert.IsType<SlotQueued>(gate.Take(Id("a2"), Agent("a"), a));
        var a3 = Assert.IsType<SlotQueued>(gate.Take(Id("a3"), Agent("a"), a));
        Assert.IsType<SlotGranted>(gate.Take(Id("b1"), Agent("b"), b));
        var c1 = Assert.IsType<SlotQueued>(gate.Take(Id("c1"), Agent("c"), c));

        Assert.Equal("agent a has 1 runs going (at most 1 per agent)", a2.Reason);
        Assert.Equal("agent a has 1 runs going (at most 1 per agent)", a3.Reason);
        Assert.Equal("2 runs going (at most 2 at once)", c1.Reason);
        Assert.Equal((2, 3), (gate.Usage().Running, gate.Usage().Waiting));

        // b's slot frees: a is still at its own cap, so c — next in turn under its cap — gets it, not a's flood.
        gate.Release(Id("b1"));
        Assert.Equal(Id("c1"), c.ExpectMsg<SlotGranted>(Patience).CallId);
        Assert.False(a.HasMessages);
        gate.Release(Id("a1"));
        Assert.Equal(Id("a2"), a.ExpectMsg<SlotGranted>(Patience).CallId);
        Assert.False(a.HasMessages);
        Assert.Equal(new Dictionary<AgentId, int> { [Agent("a")] = 1, [Agent("c")] = 1 }, gate.Usage().RunningByAgent);
    }

    [Fact]
    public void A_call_taking_a_slot_directly_never_overtakes_a_waiting_agent_under_its_cap()
    {
        var gate = new SlotGate(maxRuns: 1, maxRunsPerAgent: 1);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        gate.Take(Id("a1"), Agent("a"), a);
        Assert.IsType<SlotQueued>(gate.Take(Id("b1"), Agent("b"), b));

        gate.Release(Id("a1"));

        // The freed slot went to the waiting call inside the release: a newcomer finds none.
        Assert.IsType<SlotQueued>(gate.Take(Id("c1"), Agent("c"), c));
        Assert.Equal(Id("b1"), b.ExpectMsg<SlotGranted>(Patience).CallId);
    }

    [Fact]
    public void A_session_that_stops_gives_back_the_slots_it_held_and_its_place_in_the_queue()
    {
        var gate = new SlotGate(maxRuns: 1, maxRunsPerAgent: 1);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        gate.Take(Id("a1"), Agent("a"), a);
        gate.Take(Id("b1"), Agent("b"), b);
        gate.Take(Id("c1"), Agent("c"), c);

        gate.ReleaseAllOf(b);
        Assert.Equal((1, 1), (gate.Usage().Running, gate.Usage().Waiting));
        gate.ReleaseAllOf(a);

        Assert.Equal(Id("c1"), c.ExpectMsg<SlotGranted>(Patience).CallId);
        Assert.False(b.HasMessages);
        Assert.Equal((1, 0), (gate.Usage().Running, gate.Usage().Waiting));
    }

    [Fact]
    public void A_call_that_stops_waiting_is_skipped_when_its_turn_comes()
    {
        var gate = new SlotGate(maxRuns: 1, maxRunsPerAgent: 1);
        var (a, b, c) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        gate.Take(Id("a1"), Agent("a"), a);
        gate.Take(Id("b1"), Agent("b"), b);
        gate.Take(Id("c1"), Agent("c"), c);

        gate.Release(Id("b1"));
        gate.Release(Id("a1"));

        Assert.Equal(Id("c1"), c.ExpectMsg<SlotGranted>(Patience).CallId);
        Assert.False(b.HasMessages);
    }

    [Fact]
    public void For_any_interleaving_of_takes_and_releases_the_caps_hold_and_no_waiting_agent_under_its_cap_sees_a_free_slot()
    {
        var random = new Random(20261203);
        for (var run = 0; run < 200; run++)
        {
            var maxRuns = random.Next(1, 4);
            var perAgent = random.Next(1, 3);
            var gate = new SlotGate(maxRuns, perAgent);
            var sessions = Enumerable.Range(0, 3).Select(_ => (IActorRef)CreateTestProbe()).ToArray();
            var taken = new List<(CallId Id, AgentId Agent)>();
            for (var step = 0; step < 40; step++)
            {
                var agent = random.Next(3);
                if (taken.Count > 0 && random.Next(3) == 0)
                {
                    var gone = taken[random.Next(taken.Count)];
                    taken.Remove(gone);
                    gate.Release(gone.Id);
                }
                else
                {
                    var id = Id($"{run}-{step}");
                    gate.Take(id, Agent($"agent-{agent}"), sessions[agent]);
                    taken.Add((id, Agent($"agent-{agent}")));
                }
                var usage = gate.Usage();
                Assert.InRange(usage.Running, 0, maxRuns);
                Assert.All(usage.RunningByAgent.Values, n => Assert.InRange(n, 1, perAgent));
                // After every operation either all slots are taken or nobody waiting could have taken a free one.
                if (usage.Running < maxRuns)
                    Assert.All(WaitingAgents(gate, taken), waiting => Assert.True(usage.RunningByAgent.GetValueOrDefault(waiting) >= perAgent));
            }
        }
    }

    /// <summary>The agents with a call still waiting: a taken call that holds no slot (the gate answers Queued again).</summary>
    private static IEnumerable<AgentId> WaitingAgents(SlotGate gate, List<(CallId Id, AgentId Agent)> taken) =>
        taken.Where(t => gate.Take(t.Id, t.Agent, ActorRefs.Nobody) is SlotQueued).Select(t => t.Agent).Distinct().ToList();
}
