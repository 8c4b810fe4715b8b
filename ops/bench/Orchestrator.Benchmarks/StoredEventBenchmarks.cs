using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Orchestrator.Actors.Serialization;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Writing and reading the automatic path's journal event, a decide-only call as a load run records it (1,315 bytes as
/// <c>call-received-and-decided.v1</c>), as v1 (System.Text.Json over <see cref="EventJsonOptions"/>, what the journal
/// wrote before) and as v2 (<see cref="CallReceivedAndDecidedV2"/>), into a reused writer as the journal does.
/// Run: <c>ops/bench/run.sh StoredEvent</c>.
/// </summary>
[MemoryDiagnoser]
public class StoredEventBenchmarks
{
    private const string V1 =
        """{"received":{"agent":"agent-982","session":"bench-session-982","call":{"id":"a982-c0","toolName":"Bash","input":{"command":"cat README.md"},"workingDirectory":"/tmp/orchestrator-loadbench-2C9j3r","agent":"agent-982","session":"bench-session-982","requestedMode":null,"requestsEscalation":false,"submittedBy":null,"workspace":null,"parentSession":null},"intent":"decideOnly","maskedSecrets":0,"idempotencyKey":"a982-c0","receivedAt":"2026-12-05T06:02:57.1825688+00:00","unmaskedInput":null,"callId":"a982-c0"},"decided":{"verdict":{"decision":"allow","reasonClass":"readOnly","reason":"prints files","rule":null,"classifierReason":"prints files","mode":{"sandbox":"workspaceWrite","approval":"untrusted","network":"off","acceptEdits":false,"sandboxed":false},"policyVersion":"7026f41d781a1194","facts":{"entries":[{"path":"/tmp","kind":"other"},{"path":"/tmp/orchestrator-loadbench-2C9j3r","kind":"other"},{"path":"/tmp/orchestrator-loadbench-2C9j3r/README.md","kind":"other"}],"complete":true}},"hooks":[],"coveredByGrant":null,"decidedAt":"2026-12-05T06:02:57.1825688+00:00","updatedInput":null,"callId":"a982-c0"},"requested":null,"answered":null,"completed":{"outcome":"decidedOnly","exitCode":null,"detail":"prints files","completedAt":"2026-12-05T06:02:57.1825688+00:00","callId":"a982-c0"},"callId":"a982-c0"}""";

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private CallReceivedAndDecided _event = null!;
    private byte[] _v1 = null!;
    private byte[] _v2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _v1 = System.Text.Encoding.UTF8.GetBytes(V1);
        _event = JsonSerializer.Deserialize<CallReceivedAndDecided>(_v1, EventJsonOptions.Default)!;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        WriteV2();
        _v2 = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// bytes: v1 {_v1.Length}, v2 {_v2.Length}");
    }

    [Benchmark(Baseline = true, Description = "write v1")]
    public int WriteV1()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, _event, typeof(CallReceivedAndDecided), EventJsonOptions.Default);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "write v2")]
    public int WriteV2()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        CallReceivedAndDecidedV2.Write(_writer, _event);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "read v1")]
    public object ReadV1() => JsonSerializer.Deserialize(_v1, typeof(CallReceivedAndDecided), EventJsonOptions.Default)!;

    [Benchmark(Description = "read v2")]
    public object ReadV2() => CallReceivedAndDecidedV2.ReadEvent(_v2);
}
