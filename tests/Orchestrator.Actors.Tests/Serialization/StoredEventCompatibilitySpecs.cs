using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Hosting;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Serialization;

/// <summary>
/// Rows as earlier versions stored them (<c>stored-events.tsv</c>: manifest, tab, the event's bytes; every event type
/// of Orchestrator.Core as written before <c>call-received-and-decided.v2</c>, a real row of a load run, and v2 rows)
/// read back by today's serializer, and what it writes now.
/// </summary>
public sealed class StoredEventCompatibilitySpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) => builder.WithOrchestratorSerialization();

    private OrchestratorEventSerializer Serializer => new((ExtendedActorSystem)Sys, EventTypeRegistry.Discover());

    private static IReadOnlyList<(string Manifest, byte[] Bytes)> StoredRows() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Serialization", "stored-events.tsv"))
            .Select(line => line.Split('\t', 2))
            .Select(cells => (cells[0], Encoding.UTF8.GetBytes(cells[1])))];

    [Fact]
    public void Every_event_type_has_a_stored_row_and_each_reads_back_to_exactly_the_bytes_stored()
    {
        var rows = StoredRows();
        Assert.Empty(EventTypeRegistry.Discover().Manifests.Except(rows.Select(r => r.Manifest)));
        Assert.Contains(rows, r => r.Manifest == CallReceivedAndDecidedV2.Instance.Manifest);

        Assert.All(rows, row =>
        {
            var e = Serializer.FromBinary(row.Bytes, row.Manifest);
            var again = row.Manifest == CallReceivedAndDecidedV2.Instance.Manifest
                ? Serializer.ToBinary(e)
                : JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), EventJsonOptions.Default);
            Assert.Equal(Encoding.UTF8.GetString(row.Bytes), Encoding.UTF8.GetString(again));
        });
    }

    [Fact]
    public void A_call_received_and_decided_is_stored_as_v2_smaller_than_v1_and_reads_back_as_the_same_event()
    {
        Assert.All(StoredRows().Where(r => r.Manifest == "call-received-and-decided.v1"), row =>
        {
            var e = (CallReceivedAndDecided)Serializer.FromBinary(row.Bytes, row.Manifest);

            var manifest = Serializer.Manifest(e);
            var v2 = Serializer.ToThreadBuffer(e).ToArray();
            output.WriteLine($"{row.Bytes.Length} B as v1, {v2.Length} B as v2: {Encoding.UTF8.GetString(v2)}");

            Assert.Equal("call-received-and-decided.v2", manifest);
            Assert.True(v2.Length < row.Bytes.Length, $"v2 takes {v2.Length} B, v1 {row.Bytes.Length}");
            // The load run's row (nothing optional but its facts and completion): 1,315 B as v1.
            if (e.CallId.Value == "a982-c0") Assert.InRange(v2.Length, 1, 0.55 * row.Bytes.Length);
            Assert.Equal(EventJson.Of(e), EventJson.Of(Serializer.FromBinary(v2, manifest)));
        });
    }

    [Fact]
    public void Other_events_are_still_stored_under_their_own_manifest_as_v1_json()
    {
        Assert.All(StoredRows().Where(r => !r.Manifest.StartsWith("call-received-and-decided.", StringComparison.Ordinal)), row =>
        {
            var e = Serializer.FromBinary(row.Bytes, row.Manifest);
            Assert.Equal(row.Manifest, Serializer.Manifest(e));
            Assert.Equal(row.Bytes, Serializer.ToBinary(e));
        });
    }

    [Fact]
    public void A_malformed_v2_row_is_refused_with_a_SerializationException_naming_the_manifest()
    {
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(
            () => Serializer.FromBinary("{\"callId\":\"c-1\",\"surprise\":1}"u8.ToArray(), "call-received-and-decided.v2"));

        Assert.Contains("\"call-received-and-decided.v2\"", error.Message);
        Assert.Contains("\"surprise\"", error.Message);
    }
}
