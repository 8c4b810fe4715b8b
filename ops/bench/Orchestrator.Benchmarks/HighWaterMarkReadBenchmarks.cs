using System.Buffers;
using BenchmarkDotNet.Attributes;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Benchmarks;

/// <summary>
/// One read of the high-water mark at start (what <c>HighWaterMarkFile.Read</c> does once the bytes are in memory: the
/// mark parsed, its log applied) at 10,000 sessions with a log of ~4.4 MB (four advances of every session). Before
/// session 30 a start did this twice (the start check, then the journal); now once. Run:
/// <c>ops/bench/run.sh HighWaterMarkRead</c>.
/// </summary>
[MemoryDiagnoser]
public class HighWaterMarkReadBenchmarks
{
    private string _mark = null!;
    private byte[] _log = null!;

    [Params(10_000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var head = new byte[32];
        var advances = Enumerable.Range(0, Sessions).Select(i => KeyValuePair.Create($"sessions/agent-session-{i:D6}", (1L, head))).ToList();
        _mark = HighWaterMark.Empty.WithAll(advances).Format();
        var log = new ArrayBufferWriter<byte>();
        for (var round = 2; round <= 5; round++)
            HighWaterMarkLog.Append(log, advances.Select(a => KeyValuePair.Create(a.Key, ((long)round, head))));
        _log = log.WrittenSpan.ToArray();
    }

    [Benchmark(Description = "mark parsed and its log applied (one read)")]
    public int ReadOnce() => HighWaterMarkLog.ApplyTo(HighWaterMark.Parse(_mark), _log).Marks.Count;

}
