using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.Journal;

namespace Orchestrator.Actors.Tests;

/// <summary>The stored layout of a sealed event: the same bytes whether the event was sealed into its row, read back, or built field by field.</summary>
public sealed class SealedEventSerializerSpecs(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(output: output)
{
    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) { }

    private SealedEventSerializer Serializer => new((ExtendedActorSystem)Sys);

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void An_event_sealed_into_its_row_is_stored_exactly_as_one_built_from_its_fields_and_reads_back_unchanged()
    {
        var payload = "{\"callId\":\"c-1\"}"u8.ToArray();
        var previous = Filled(32, 7);
        var mac = Filled(32, 9);
        var row = SealedEventSerializer.Unsealed(4201, previous, payload);
        Assert.Equal(payload, SealedEventSerializer.PayloadIn(row).ToArray());

        var sealedIntoRow = SealedEventSerializer.Sealed(row, 4201, "call-received.v1", previous, mac);
        var fromFields = new SealedEvent(4201, "call-received.v1", payload, previous, mac);

        var stored = Serializer.ToBinary(sealedIntoRow);
        Assert.Same(row, stored);
        Assert.Equal(Serializer.ToBinary(fromFields), stored);
        var back = (SealedEvent)Serializer.FromBinary(stored, "call-received.v1");
        Assert.Equal(4201, back.SerializerId);
        Assert.Equal(payload, back.Payload.ToArray());
        Assert.Equal(previous, back.Previous);
        Assert.Equal(mac, back.Mac);
        Assert.Equal(stored, Serializer.ToBinary(back));
    }
}
