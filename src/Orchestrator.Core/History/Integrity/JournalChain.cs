using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// The HMAC-SHA256 that seals one journal event: over the persistence id, the sequence number, the serializer and
/// manifest, the payload bytes and the previous event's seal, so an event cannot be forged, edited, moved to another
/// session or sequence number, dropped from the middle or reordered without the key. Each field is length-prefixed.
/// </summary>
public static class JournalChain
{
    public const int MacLength = 32;

    /// <summary>What the first event of a persistence id chains to.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[MacLength];

    public static byte[] Seal(ReadOnlySpan<byte> key, SealedFields fields)
    {
        // One-shot HMAC over the same bytes an incremental hash would be fed (length-prefixed texts and bytes, big-endian
        // numbers), laid out in a pooled buffer: no hash object, native context or encoded strings per event.
        var idLength = Encoding.UTF8.GetByteCount(fields.PersistenceId);
        var manifestLength = Encoding.UTF8.GetByteCount(fields.Manifest);
        var total = 4 + idLength + 8 + 8 + 4 + manifestLength + 4 + fields.Payload.Length + 4 + fields.Previous.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var span = buffer.AsSpan(0, total);
            var at = 0;
            BinaryPrimitives.WriteInt32BigEndian(span[at..], idLength);
            at += 4 + Encoding.UTF8.GetBytes(fields.PersistenceId, span[(at + 4)..]);
            BinaryPrimitives.WriteInt64BigEndian(span[at..], fields.SequenceNr);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], fields.SerializerId);
            at += 16;
            BinaryPrimitives.WriteInt32BigEndian(span[at..], manifestLength);
            at += 4 + Encoding.UTF8.GetBytes(fields.Manifest, span[(at + 4)..]);
            at = Put(span, at, fields.Payload.Span);
            Put(span, at, fields.Previous.Span);
            var mac = new byte[MacLength];
            HMACSHA256.HashData(key, span, mac);
            return mac;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Put(Span<byte> into, int at, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(into[at..], bytes.Length);
        bytes.CopyTo(into[(at + 4)..]);
        return at + 4 + bytes.Length;
    }

    public static bool IsSealOf(ReadOnlySpan<byte> key, SealedFields fields, ReadOnlySpan<byte> mac) =>
        mac.Length == MacLength && CryptographicOperations.FixedTimeEquals(Seal(key, fields), mac);

    internal static void AppendText(IncrementalHash hmac, string text) => AppendBytes(hmac, Encoding.UTF8.GetBytes(text));

    internal static void AppendBytes(IncrementalHash hmac, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hmac.AppendData(length);
        hmac.AppendData(bytes);
    }
}

/// <summary>What a seal covers: where the event sits, how it is serialized, its bytes, and the seal before it.</summary>
public sealed record SealedFields(string PersistenceId, long SequenceNr, int SerializerId, string Manifest,
    ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Previous);
