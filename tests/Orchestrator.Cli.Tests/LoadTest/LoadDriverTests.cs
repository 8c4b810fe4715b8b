using CsCheck;
using HdrHistogram;
using Orchestrator.Load;

namespace Orchestrator.Cli.Tests.LoadTest;

/// <summary>
/// The load driver's send schedule on a simulated clock: with think time an agent keeps its offered rate however slow
/// the answers (no coordinated omission), counts the sends it could only make late, and measures latency from the
/// intended send time as well as from the send.
/// </summary>
public sealed class LoadDriverTests
{
    private const double ThinkMs = 10;

    /// <summary>Runs one agent whose n-th call is answered after <paramref name="latency"/>(n), in simulated time.</summary>
    private static async Task<(LoadTally Tally, TimeSpan Elapsed)> RunOneAgent(LoadPlan plan, Func<long, TimeSpan> latency)
    {
        var time = new SimulatedTime();
        var tally = new LoadTally();
        var elapsed = await LoadDriver.RunAsync(plan with { Seed = 7 }, tally, (_, n, _) =>
        {
            time.Advance(latency(n));
            return Task.FromResult(CallResult.Answered("decided-only"));
        }, time: time);
        return (tally, elapsed);
    }

    private static double Ms(long microseconds) => microseconds / 1000.0;

    [Fact]
    public async Task Slow_answers_do_not_lower_the_offered_rate_the_late_sends_go_at_once_and_are_counted()
    {
        // Every 30th answer takes 200 ms (twenty mean intervals): thinking after each answer would take ~53 s for these
        // 3,000 calls; on the schedule the agent catches up and takes the offered ~30 s.
        var plan = new LoadPlan(1, 3000, null, ThinkMs);
        var (tally, elapsed) = await RunOneAgent(plan, n => TimeSpan.FromMilliseconds(n % 30 == 29 ? 200 : 1));

        Assert.Equal(3000, tally.Answered);
        Assert.Equal(100, plan.OfferedPerSecond);
        Assert.InRange(tally.Answered / elapsed.TotalSeconds, 90, 110);
        Assert.InRange(tally.LateSends, 100, 3000);
        Assert.True(Ms(tally.SendLateness.GetMaxValue()) > 150, "a send right after a slow answer is late by most of it");
        Assert.InRange(Ms(tally.ServiceLatency.GetValueAtPercentile(50)), 0.99, 1.01);
        Assert.True(Ms(tally.Latency.GetValueAtPercentile(99)) > Ms(tally.ServiceLatency.GetValueAtPercentile(99)) - 1,
            "latency from the intended send time is never below that from the send");
        Assert.True(Ms(tally.Latency.GetMaxValue()) > 150, "the call after a slow answer waited for it too");
    }

    [Fact]
    public async Task An_agent_answered_slower_than_its_schedule_sends_back_to_back_and_reports_the_growing_wait()
    {
        var plan = new LoadPlan(1, 1000, null, ThinkMs);
        var (tally, elapsed) = await RunOneAgent(plan, _ => TimeSpan.FromMilliseconds(25));

        Assert.InRange(elapsed, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(25.2)); // 1,000 answers of 25 ms, hardly a wait
        Assert.InRange(tally.LateSends, 950, 999);
        Assert.InRange(Ms(tally.ServiceLatency.GetMaxValue()), 24.9, 25.1);
        Assert.True(Ms(tally.Latency.GetValueAtPercentile(99)) > 10_000, "the backlog behind the schedule is in the reported latency");
    }

    [Fact]
    public async Task Back_to_back_agents_have_no_schedule_nothing_late_and_one_latency()
    {
        var plan = new LoadPlan(1, 100, null);
        var (tally, elapsed) = await RunOneAgent(plan, _ => TimeSpan.FromMilliseconds(3));

        Assert.Null(plan.OfferedPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(300), elapsed);
        Assert.Equal(0, tally.LateSends);
        Assert.Equal(tally.ServiceLatency.GetMaxValue(), tally.Latency.GetMaxValue());
        Assert.Equal(tally.ServiceLatency.GetValueAtPercentile(1), tally.Latency.GetValueAtPercentile(1));
    }

    [Fact]
    public async Task A_timed_run_sends_nothing_that_was_due_after_its_end()
    {
        var plan = new LoadPlan(1, null, TimeSpan.FromSeconds(5), ThinkMs);
        var (tally, elapsed) = await RunOneAgent(plan, _ => TimeSpan.FromMilliseconds(1));

        Assert.InRange(tally.Submitted, 425, 575);
        Assert.Equal(tally.Submitted, tally.Answered);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(5) + TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void The_achieved_rate_is_the_offered_one_unless_the_answers_are_slower()
    {
        Gen.Select(Gen.Double[0.5, 40], Gen.Double[2, 20]).Sample((latencyMs, thinkMs) =>
        {
            var plan = new LoadPlan(1, 2000, null, thinkMs);
            var (tally, elapsed) = RunOneAgent(plan, _ => TimeSpan.FromMilliseconds(latencyMs)).GetAwaiter().GetResult();
            var expected = Math.Min(1000 / thinkMs, 1000 / latencyMs);
            var achieved = tally.Answered / elapsed.TotalSeconds;
            return achieved > expected * 0.9 && achieved < expected * 1.1;
        }, iter: 40);
    }
}
