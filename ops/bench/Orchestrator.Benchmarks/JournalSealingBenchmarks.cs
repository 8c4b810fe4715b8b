using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Benchmarks;

/// <summary>
/// What the tamper-evident journal adds per event: sealing it on write (HMAC-SHA256 over its place, manifest, bytes and
/// the previous seal) and checking it in a replay, for a typical call-received-and-decided event (~900 bytes of JSON)
/// and a small one (~300 bytes). Run: <c>ops/bench/run.sh JournalSealing</c>.
/// </summary>
[MemoryDiagnoser]
public class JournalSealingBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private byte[] _payload = null!;
    private SealedFields _fields = null!;
    private byte[] _mac = null!;

    [Params(300, 900)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = RandomNumberGenerator.GetBytes(PayloadBytes);
        _fields = new SealedFields("session-agent-1-session-7", 42, 4201, "call-received-and-decided.v1", _payload,
            RandomNumberGenerator.GetBytes(JournalChain.MacLength));
        _mac = JournalChain.Seal(_key, _fields);
    }

    [Benchmark(Description = "seal one event")]
    public byte[] Seal() => JournalChain.Seal(_key, _fields);

    [Benchmark(Description = "check one event's seal")]
    public bool Check() => JournalChain.IsSealOf(_key, _fields, _mac);
}
