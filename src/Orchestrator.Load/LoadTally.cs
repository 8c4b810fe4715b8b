using System.Collections.Concurrent;
using HdrHistogram;

namespace Orchestrator.Load;

/// <summary>
/// What a run counted, safe to read while it runs (the live display): answered calls by outcome, failed calls by kind,
/// 429s, and the latency histograms (HdrHistogram, microseconds, 3 significant digits).
/// </summary>
public sealed class LoadTally
{
    private const long HighestMicroseconds = 3_600_000_000; // an hour
    private long _answered, _failed, _throttled, _submitted;

    public LongConcurrentHistogram Latency { get; } = new(1, HighestMicroseconds, 3);
    public LongConcurrentHistogram ApprovalRoundTrip { get; } = new(1, HighestMicroseconds, 3);
    public ConcurrentDictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long Answered => Interlocked.Read(ref _answered);
    public long Failed => Interlocked.Read(ref _failed);
    public long Throttled => Interlocked.Read(ref _throttled);
    /// <summary>Calls sent (answered, failed or still in flight).</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    internal void Sent() => Interlocked.Increment(ref _submitted);

    internal void Record(CallResult result, TimeSpan latency)
    {
        if (result.Throttled > 0) Interlocked.Add(ref _throttled, result.Throttled);
        if (result.Outcome is { } outcome)
        {
            Outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            Latency.RecordValue(Microseconds(latency));
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
