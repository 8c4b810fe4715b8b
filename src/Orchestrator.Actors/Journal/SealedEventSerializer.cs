using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// Stores a <see cref="SealedEvent"/> under the sealed event's own manifest (so rows still read
/// <c>call-received.v1</c>): a format byte, the inner serializer id, the previous seal, the seal, then the event's bytes.
/// A <see cref="SealedSnapshot"/> is stored the same way under its own format byte, with the chain's head in place of
/// the previous seal.
/// </summary>
public sealed class SealedEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Fixed forever: the identifier stored in every sealed journal row.</summary>
    public const int SerializerId = 4202;

    public const string SerializerName = "orchestrator-sealed-events";

    private const byte Format = 1;
    private const byte SnapshotFormat = 2;
    private const int HeaderLength = 1 + 4 + 2 * JournalChain.MacLength;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        SealedEvent sealedEvent => sealedEvent.Manifest,
        SealedSnapshot sealedSnapshot => sealedSnapshot.Manifest,
        _ => throw new SerializationException($"{o.GetType().FullName} is not a sealed event."),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        SealedEvent { Stored: { } stored } => stored,
        SealedEvent e => Write(Format, e.SerializerId, e.Previous, e.Mac, e.Payload.Span),
        SealedSnapshot s => Write(SnapshotFormat, s.SerializerId, s.Head, s.Mac, s.Payload),
        _ => throw new SerializationException($"{obj.GetType().FullName} is not a sealed event."),
    };

    private static byte[] Write(byte format, int serializerId, byte[] previous, byte[] mac, ReadOnlySpan<byte> payload)
    {
        var bytes = Layout(format, serializerId, previous, payload);
        mac.CopyTo(bytes.AsSpan(5 + JournalChain.MacLength));
        return bytes;
    }

    private static byte[] Layout(byte format, int serializerId, byte[] previous, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[HeaderLength + payload.Length];
        bytes[0] = format;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), serializerId);
        previous.CopyTo(bytes.AsSpan(5));
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>
    /// The stored row of an event not sealed yet: its seal is computed over <see cref="PayloadIn"/> of the row and then
    /// written into it by <see cref="Sealed"/>, so the event's bytes are copied once on their way to the journal.
    /// </summary>
    public static byte[] Unsealed(int serializerId, byte[] previous, ReadOnlySpan<byte> payload) => Layout(Format, serializerId, previous, payload);

    /// <summary>The event's bytes inside a row laid out by <see cref="Unsealed"/>.</summary>
    public static ReadOnlyMemory<byte> PayloadIn(byte[] row) => row.AsMemory(HeaderLength);

    /// <summary>The sealed event stored as <paramref name="row"/> (from <see cref="Unsealed"/>) once <paramref name="mac"/> is written into it.</summary>
    public static SealedEvent Sealed(byte[] row, int serializerId, string manifest, byte[] previous, byte[] mac)
    {
        mac.CopyTo(row.AsSpan(5 + JournalChain.MacLength));
        return new SealedEvent(serializerId, manifest, PayloadIn(row), previous, mac) { Stored = row };
    }
    /// <summary>The event's own bytes inside a stored sealed row (for tools that read the journal table directly).</summary>
    public static byte[] EventBytes(byte[] stored) =>
        stored.Length >= HeaderLength && stored[0] == Format ? stored[HeaderLength..] : throw new SerializationException("not a sealed event row");

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (bytes.Length < HeaderLength || bytes[0] is not (Format or SnapshotFormat))
            throw new SerializationException($"Sealed event \"{manifest}\" is truncated or of an unknown format.");
        var serializerId = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
        var previous = bytes[5..(5 + JournalChain.MacLength)];
        var mac = bytes[(5 + JournalChain.MacLength)..HeaderLength];
        return bytes[0] == Format
            ? new SealedEvent(serializerId, manifest, bytes.AsMemory(HeaderLength), previous, mac) { Stored = bytes }
            : new SealedSnapshot(serializerId, manifest, bytes[HeaderLength..], previous, mac);
    }
}
