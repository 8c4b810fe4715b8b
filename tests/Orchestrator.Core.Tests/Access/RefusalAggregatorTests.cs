using Orchestrator.Core.Access;

namespace Orchestrator.Core.Tests.Access;

public class RefusalAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_flood_of_one_refusal_is_recorded_once_per_window_with_the_count_it_stood_for()
    {
        var aggregator = new RefusalAggregator(TimeSpan.FromMinutes(1));

        Assert.Equal((true, 0), aggregator.Observe("mallory", "GET /v1/approvals", "no token", T0));
        for (var i = 1; i <= 500; i++)
            Assert.False(aggregator.Observe("mallory", "GET /v1/approvals", "no token", T0.AddMilliseconds(i)).Record);
        Assert.Equal((true, 0), aggregator.Observe("mallory", "GET /v1/tokens", "no token", T0.AddSeconds(1)));

        Assert.Equal((true, 500), aggregator.Observe("mallory", "GET /v1/approvals", "no token", T0.AddMinutes(1)));
    }

    [Fact]
    public void Many_distinct_refusals_are_each_recorded_and_memory_stays_bounded()
    {
        var aggregator = new RefusalAggregator(TimeSpan.FromMinutes(1), maxKeys: 100);

        for (var i = 0; i < 1_000; i++)
            Assert.True(aggregator.Observe($"caller-{i}", "GET /v1/approvals", "no token", T0).Record);
    }
}
