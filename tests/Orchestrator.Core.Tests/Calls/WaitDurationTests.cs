using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Calls;

public sealed class WaitDurationTests
{
    [Theory]
    [InlineData(1e-9)]
    [InlineData(double.Epsilon)]
    [InlineData(1e-7)]
    public void A_tiny_positive_wait_lasts_at_least_a_millisecond_never_zero(double seconds)
    {
        var (wait, error) = WaitDuration.Parse(seconds);
        Assert.Null(error);
        Assert.Equal(WaitDuration.Smallest, wait);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1e-9)]
    [InlineData(300.000001)]
    [InlineData(1e300)]
    public void Non_finite_negative_or_over_the_cap_waits_are_refused(double seconds)
    {
        var (wait, error) = WaitDuration.Parse(seconds);
        Assert.Null(wait);
        Assert.Contains("from 0 to 300", error);
    }

    [Fact]
    public void No_wait_or_zero_answers_at_once_and_the_cap_itself_is_accepted()
    {
        Assert.Equal((null, null), WaitDuration.Parse(null));
        Assert.Equal((null, null), WaitDuration.Parse(0));
        Assert.Equal(TimeSpan.FromSeconds(300), WaitDuration.Parse(300).Wait);
        Assert.Equal(TimeSpan.FromSeconds(2.5), WaitDuration.Parse(2.5).Wait);
    }
}
