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
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> number = stackalloc byte[8];
        AppendText(hmac, fields.PersistenceId);
        BinaryPrimitives.WriteInt64BigEndian(number, fields.SequenceNr);
        hmac.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, fields.SerializerId);
        hmac.AppendData(number);
        AppendText(hmac, fields.Manifest);
        AppendBytes(hmac, fields.Payload.Span);
        AppendBytes(hmac, fields.Previous.Span);
        return hmac.GetHashAndReset();
    }

    /// <summary>Whether <paramref name="mac"/> is the seal of <paramref name="fields"/> (constant time).</summary>
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
