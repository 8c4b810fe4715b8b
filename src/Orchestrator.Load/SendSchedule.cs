namespace Orchestrator.Load;

/// <summary>
/// When one agent means to send its calls, as offsets from its first send: gaps drawn from an exponential distribution
/// of mean <c>meanIntervalMs</c> (Poisson arrivals, so agents do not march in step), each added to the previous
/// <em>intended</em> send time — never to when an answer came. A slow server therefore cannot lower the offered load
/// (coordinated omission): a send whose due time passed while its agent waited for an answer goes at once, is counted
/// late, and its latency is measured from the due time, as wrk2 does.
/// </summary>
public sealed class SendSchedule(double meanIntervalMs, Random random)
{
    /// <summary>The intended time of the latest send, from the agent's first send.</summary>
    public TimeSpan Due { get; private set; }

    /// <returns>The next intended send time.</returns>
    public TimeSpan Next()
    {
        Due += TimeSpan.FromMilliseconds(-Math.Log(1 - random.NextDouble()) * meanIntervalMs);
        return Due;
    }
}
