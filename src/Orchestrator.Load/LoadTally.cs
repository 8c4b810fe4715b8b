using System.Collections.Concurrent;
using HdrHistogram;

namespace Orchestrator.Load;

/// <summary>
/// What a run counted, safe to read while it runs (the live display): answered calls by outcome, failed calls by kind,
/// 429s, late sends, and the latency histograms (HdrHistogram, microseconds, 3 significant digits).
/// </summary>
public sealed class LoadTally
{
    private const long HighestMicroseconds = 3_600_000_000; // an hour
    private long _answered, _failed, _throttled, _submitted, _late;

    /// <summary>
    /// Answered calls' latency from their <em>intended</em> send time (the reported one: a call its agent could not
    /// send on time because the last answer was late waited on the server too); the same as <see cref="ServiceLatency"/>
    /// for back-to-back agents, which have no schedule.
    /// </summary>
    public LongConcurrentHistogram Latency { get; } = new(1, HighestMicroseconds, 3);
    /// <summary>Answered calls' latency from when they were actually sent.</summary>
    public LongConcurrentHistogram ServiceLatency { get; } = new(1, HighestMicroseconds, 3);
    /// <summary>How late the late sends went (their agent was still waiting for an answer when they were due).</summary>
    public LongConcurrentHistogram SendLateness { get; } = new(1, HighestMicroseconds, 3);
    public LongConcurrentHistogram ApprovalRoundTrip { get; } = new(1, HighestMicroseconds, 3);
    public ConcurrentDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Answered => Interlocked.Read(ref _answered);
    public long Failed => Interlocked.Read(ref _failed);
    public long Throttled => Interlocked.Read(ref _throttled);
    /// <summary>Calls sent (answered, failed or still in flight).</summary>
    public long Submitted => Interlocked.Read(ref _submitted);
    /// <summary>Calls sent after their due time.</summary>
    public long LateSends => Interlocked.Read(ref _late);

    internal void Sent(TimeSpan lateness)
    {
        Interlocked.Increment(ref _submitted);
        if (lateness <= TimeSpan.Zero) return;
        Interlocked.Increment(ref _late);
        SendLateness.RecordValue(Microseconds(lateness));
    }

    /// <param name="service">From the send to the answer.</param>
    /// <param name="lateness">From the intended send time to the send.</param>
    internal void Record(CallResult result, TimeSpan service, TimeSpan lateness)
    {
        if (result.Throttled > 0) Interlocked.Add(ref _throttled, result.Throttled);
        if (result.Outcome is { } outcome)
        {
            Outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            Latency.RecordValue(Microseconds(service + lateness));
            ServiceLatency.RecordValue(Microseconds(service));
            if (result.ApprovalRoundTrip is { } roundTrip) ApprovalRoundTrip.RecordValue(Microseconds(roundTrip));
            Interlocked.Increment(ref _answered);
        }
        else
        {
            Errors.AddOrUpdate(result.Error ?? "unknown", 1, (_, n) => n + 1);
            Interlocked.Increment(ref _failed);
        }
    }

    private static long Microseconds(TimeSpan t) => Math.Clamp((long)Math.Round(t.TotalMicroseconds), 1, HighestMicroseconds);
}
