using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Stores a <see cref="SealedEvent"/> under the sealed event's own manifest (so rows still read
/// <c>call-received.v1</c>): a format byte, the inner serializer id, the previous seal, the seal, then the event's bytes.
/// </summary>
public sealed class SealedEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Fixed forever: the identifier stored in every sealed journal row.</summary>
    public const int SerializerId = 4202;

    public const string SerializerName = "orchestrator-sealed-events";

    private const byte Format = 1;
    private const int HeaderLength = 1 + 4 + 2 * JournalChain.MacLength;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o is SealedEvent sealedEvent
        ? sealedEvent.Manifest
        : throw new SerializationException($"{o.GetType().FullName} is not a sealed event.");

    public override byte[] ToBinary(object obj)
    {
        if (obj is not SealedEvent e) throw new SerializationException($"{obj.GetType().FullName} is not a sealed event.");
        var bytes = new byte[HeaderLength + e.Payload.Length];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), e.SerializerId);
        e.Previous.CopyTo(bytes.AsSpan(5));
        e.Mac.CopyTo(bytes.AsSpan(5 + JournalChain.MacLength));
        e.Payload.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>The event's own bytes inside a stored sealed row (for tools that read the journal table directly).</summary>
    public static byte[] EventBytes(byte[] stored) =>
        stored.Length >= HeaderLength && stored[0] == Format ? stored[HeaderLength..] : throw new SerializationException("not a sealed event row");

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Format)
            throw new SerializationException($"Sealed event \"{manifest}\" is truncated or of an unknown format.");
        return new SealedEvent(
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)),
            manifest,
            bytes[HeaderLength..],
            bytes[5..(5 + JournalChain.MacLength)],
            bytes[(5 + JournalChain.MacLength)..HeaderLength]);
    }
}
