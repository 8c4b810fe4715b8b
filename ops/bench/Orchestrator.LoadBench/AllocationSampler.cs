using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Orchestrator.LoadBench;

/// <summary>
/// With --alloc-types: the runtime's allocation ticks (one event per ~100 KB allocated, naming the type that crossed
/// the mark) summed by type over the measured window, in process — which types the bytes per call are made of.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    public volatile bool On;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On || e.EventId != AllocationTickEventId || e.PayloadNames is null || e.Payload is null) return;
        var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, n) => n + amount);
    }

    /// <summary>The <paramref name="top"/> types by sampled bytes, per call.</summary>
    public string Summary(long calls, int top = 40)
    {
        var total = _bytes.Values.Sum();
        if (total == 0 || calls == 0) return "no allocation ticks seen";
        return string.Join("\n", _bytes.OrderByDescending(kv => kv.Value).Take(top)
            .Select(kv => $"      {100.0 * kv.Value / total,5:F1} %  {(double)kv.Value / calls,7:F0} B/call  {kv.Key}"));
    }
}
