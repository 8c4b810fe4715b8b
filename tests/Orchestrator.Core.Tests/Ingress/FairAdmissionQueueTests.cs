using Orchestrator.Core.Calls;
using Orchestrator.Core.Ingress;

namespace Orchestrator.Core.Tests.Ingress;

public class FairAdmissionQueueTests
{
    private static readonly AgentId Noisy = new("noisy");
    private static readonly AgentId Quiet = new("quiet");
    private static readonly AgentId Third = new("third");

    private static List<(string Agent, string Item)> Drain(FairAdmissionQueue<string> queue)
    {
        var taken = new List<(string, string)>();
        while (queue.TryDequeue(out var agent, out var item)) taken.Add((agent.Value, item));
        return taken;
    }

    [Fact]
    public void Items_of_one_agent_come_out_in_order()
    {
        var queue = new FairAdmissionQueue<string>(10, 10, 100);
        foreach (var item in new[] { "a", "b", "c" }) queue.TryEnqueue(Quiet, item);

        Assert.Equal(["a", "b", "c"], Drain(queue).Select(t => t.Item));
    }

    [Fact]
    public void A_flooding_agent_is_rejected_while_a_quiet_agent_is_still_admitted()
    {
        var queue = new FairAdmissionQueue<string>(globalCapacity: 100, perAgentCapacity: 5, drainPerSecond: 100);
        var noisyResults = Enumerable.Range(0, 50).Select(i => queue.TryEnqueue(Noisy, $"n{i}")).ToList();

        var quiet = queue.TryEnqueue(Quiet, "q0");

        Assert.Equal(5, noisyResults.Count(r => r.Accepted));
        Assert.All(noisyResults.Skip(5), r => Assert.Equal(AdmissionStatus.RejectedAgentFull, r.Status));
        Assert.True(quiet.Accepted);
    }

    [Fact]
    public void Dequeue_round_robins_across_agents_so_the_quiet_agent_is_not_starved()
    {
        var queue = new FairAdmissionQueue<string>(100, 10, 100);
        for (var i = 0; i < 6; i++) queue.TryEnqueue(Noisy, $"n{i}");
        queue.TryEnqueue(Quiet, "q0");
        queue.TryEnqueue(Quiet, "q1");

        var order = Drain(queue).Select(t => t.Item);

        Assert.Equal(["n0", "q0", "n1", "q1", "n2", "n3", "n4", "n5"], order);
    }

    [Fact]
    public void An_agent_arriving_later_joins_the_rotation_at_the_end()
    {
        var queue = new FairAdmissionQueue<string>(100, 10, 100);
        queue.TryEnqueue(Noisy, "n0");
        queue.TryEnqueue(Noisy, "n1");
        queue.TryEnqueue(Quiet, "q0");
        Assert.True(queue.TryDequeue(out _, out var first));
        queue.TryEnqueue(Third, "t0");

        Assert.Equal("n0", first);
        Assert.Equal(["q0", "n1", "t0"], Drain(queue).Select(t => t.Item));
    }

    [Fact]
    public void The_global_capacity_rejects_everyone_once_full()
    {
        var queue = new FairAdmissionQueue<string>(globalCapacity: 4, perAgentCapacity: 3, drainPerSecond: 2);
        for (var i = 0; i < 3; i++) queue.TryEnqueue(Noisy, $"n{i}");
        queue.TryEnqueue(Quiet, "q0");

        var rejected = queue.TryEnqueue(Third, "t0");

        Assert.Equal(AdmissionStatus.RejectedGlobalFull, rejected.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), rejected.RetryAfter);
    }

    [Fact]
    public void Dequeuing_frees_room_for_the_agent_again()
    {
        var queue = new FairAdmissionQueue<string>(10, 1, 10);
        queue.TryEnqueue(Quiet, "a");
        Assert.False(queue.TryEnqueue(Quiet, "b").Accepted);

        queue.TryDequeue(out _, out _);

        Assert.True(queue.TryEnqueue(Quiet, "b").Accepted);
    }

    [Fact]
    public void Retry_after_for_a_full_agent_grows_with_the_agents_sharing_the_drain()
    {
        var alone = new FairAdmissionQueue<string>(100, 2, 10);
        alone.TryEnqueue(Noisy, "a");
        alone.TryEnqueue(Noisy, "b");
        var shared = new FairAdmissionQueue<string>(100, 2, 10);
        shared.TryEnqueue(Noisy, "a");
        shared.TryEnqueue(Noisy, "b");
        shared.TryEnqueue(Quiet, "q0");
        shared.TryEnqueue(Third, "t0");

        var aloneWait = alone.TryEnqueue(Noisy, "c").RetryAfter;
        var sharedWait = shared.TryEnqueue(Noisy, "c").RetryAfter;

        Assert.Equal(TimeSpan.FromSeconds(0.2), aloneWait);
        Assert.True(sharedWait > aloneWait, $"{sharedWait} should exceed {aloneWait}");
    }

    [Fact]
    public void An_empty_queue_dequeues_nothing()
    {
        var queue = new FairAdmissionQueue<string>(1, 1, 1);

        Assert.False(queue.TryDequeue(out _, out _));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Counts_follow_enqueues_and_dequeues()
    {
        var queue = new FairAdmissionQueue<string>(10, 10, 1);
        queue.TryEnqueue(Noisy, "a");
        queue.TryEnqueue(Noisy, "b");
        queue.TryEnqueue(Quiet, "c");
        queue.TryDequeue(out _, out _);

        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.CountFor(Noisy));
        Assert.Equal(1, queue.CountFor(Quiet));
    }

    [Fact]
    public void Invalid_capacities_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FairAdmissionQueue<string>(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FairAdmissionQueue<string>(1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FairAdmissionQueue<string>(1, 1, 0));
    }

    [Fact]
    public async Task Concurrent_producers_and_consumers_lose_and_duplicate_nothing()
    {
        const int agents = 8, perAgent = 5_000;
        var queue = new FairAdmissionQueue<int>(globalCapacity: 256, perAgentCapacity: 64, drainPerSecond: 1_000);
        var taken = new System.Collections.Concurrent.ConcurrentBag<int>();
        var producers = Enumerable.Range(0, agents).Select(a => Task.Run(() =>
        {
            var agent = new AgentId($"agent-{a}");
            for (var i = 0; i < perAgent; i++)
                while (!queue.TryEnqueue(agent, a * perAgent + i).Accepted) Thread.Yield();
        })).ToArray();
        var done = Task.WhenAll(producers);
        var consumers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!done.IsCompleted || queue.Count > 0)
                if (queue.TryDequeue(out AgentId _, out var item)) taken.Add(item);
                else Thread.Yield();
        })).ToArray();

        await Task.WhenAll(consumers);

        Assert.Equal(agents * perAgent, taken.Count);
        Assert.Equal(agents * perAgent, taken.Distinct().Count());
    }
}
