using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// The HMAC-SHA256 that seals one snapshot: over the persistence id, the sequence number it was taken at, the seal of
/// the journal event at that sequence number (the chain's head), the serializer and manifest, and the snapshot's bytes.
/// Its key is derived from the journal key under a label of its own and the label opens the sealed input, so a
/// snapshot's seal is never valid as an event's and an event's never as a snapshot's.
/// </summary>
public static class SnapshotSeal
{
    private static readonly byte[] Label = "orchestrator snapshot seal v1"u8.ToArray();

    /// <summary>The snapshot key of a journal key (HMAC-SHA256 of the label under the journal key).</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> journalKey) => HMACSHA256.HashData(journalKey, Label);

    public static byte[] Seal(ReadOnlySpan<byte> snapshotKey, SnapshotFields fields)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, snapshotKey);
        Span<byte> number = stackalloc byte[8];
        JournalChain.AppendBytes(hmac, Label);
        JournalChain.AppendText(hmac, fields.PersistenceId);
        BinaryPrimitives.WriteInt64BigEndian(number, fields.SequenceNr);
        hmac.AppendData(number);
        JournalChain.AppendBytes(hmac, fields.Head.Span);
        BinaryPrimitives.WriteInt64BigEndian(number, fields.SerializerId);
        hmac.AppendData(number);
        JournalChain.AppendText(hmac, fields.Manifest);
        JournalChain.AppendBytes(hmac, fields.Payload.Span);
        return hmac.GetHashAndReset();
    }

    /// <summary>Whether <paramref name="mac"/> is the seal of <paramref name="fields"/> (constant time).</summary>
    public static bool IsSealOf(ReadOnlySpan<byte> snapshotKey, SnapshotFields fields, ReadOnlySpan<byte> mac) =>
        mac.Length == JournalChain.MacLength && CryptographicOperations.FixedTimeEquals(Seal(snapshotKey, fields), mac);
}

/// <summary>What a snapshot's seal covers: whose and where it is, the journal's head there, how it is serialized, its bytes.</summary>
public sealed record SnapshotFields(string PersistenceId, long SequenceNr, ReadOnlyMemory<byte> Head, int SerializerId, string Manifest,
    ReadOnlyMemory<byte> Payload);
