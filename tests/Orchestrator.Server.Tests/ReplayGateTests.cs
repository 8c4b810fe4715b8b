namespace Orchestrator.Server.Tests;

/// <summary>The replay gate lets exactly one replay in at a time, however many race for it.</summary>
public sealed class ReplayGateTests
{
    [Fact]
    public void Of_racing_replays_exactly_one_enters_and_another_only_after_it_exits()
    {
        var gate = new ReplayGate();
        using var start = new Barrier(8);
        var entered = 0;
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            if (gate.TryEnter()) Interlocked.Increment(ref entered);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, entered);
        Assert.False(gate.TryEnter());
        gate.Exit();
        Assert.True(gate.TryEnter());
    }
}
