using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Core.Tests.Ingress;

public sealed class FairGateTests
{
    private static readonly AgentId Slow = new("slow");
    private static readonly AgentId Other = new("other");

    [Fact]
    public void An_agent_at_its_in_flight_limit_is_passed_over_and_another_agents_submission_is_taken()
    {
        var gate = new FairGate<int>(100, 50, 100, globalInFlight: 64, perAgentInFlight: 8);
        for (var i = 0; i < 20; i++) Assert.True(gate.TryEnqueue(Slow, i).Accepted);
        for (var i = 0; i < 8; i++) Assert.True(gate.TryTake(out _, out _));
        Assert.False(gate.TryTake(out _, out _));
        Assert.Equal(8, gate.InFlightFor(Slow));

        gate.TryEnqueue(Other, 100);
        Assert.True(gate.TryTake(out var agent, out var item));
        Assert.Equal((Other, 100), (agent, item));

        gate.Release(Slow);
        Assert.True(gate.TryTake(out agent, out item));
        Assert.Equal((Slow, 8), (agent, item));
    }

    [Fact]
    public void The_global_in_flight_limit_holds_across_agents_and_a_release_makes_room()
    {
        var gate = new FairGate<int>(100, 50, 100, globalInFlight: 3, perAgentInFlight: 2);
        for (var i = 0; i < 3; i++) { gate.TryEnqueue(Slow, i); gate.TryEnqueue(Other, i); }
        var taken = new List<AgentId>();
        while (gate.TryTake(out var agent, out _)) taken.Add(agent);
        Assert.Equal(3, taken.Count);
        Assert.Equal(3, gate.InFlight);
        Assert.Contains(Slow, taken);
        Assert.Contains(Other, taken);

        gate.Release(taken[0]);
        Assert.True(gate.TryTake(out _, out _));
        Assert.Equal(3, gate.InFlight);
    }

    [Fact]
    public void A_release_of_an_agent_with_nothing_in_flight_changes_nothing()
    {
        var gate = new FairGate<int>(10, 10, 100, 1, 1);
        gate.Release(Other);
        gate.TryEnqueue(Slow, 1);
        Assert.True(gate.TryTake(out _, out _));
        Assert.Equal(1, gate.InFlight);
    }
}
