using System.Security.Cryptography;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Authenticates the compact decision records of the history read model, a table an adversary may write: each is
/// stored as its bytes followed by an HMAC-SHA256, under a key derived from the journal key, over the place it belongs
/// to (<see cref="DecisionRecordPlace"/>) and the bytes — so a record forged, edited, moved to another row or copied from
/// another call does not open.
/// </summary>
public static class DecisionRecordSeal
{
    private static readonly byte[] Label = "orchestrator history decision record v1"u8.ToArray();

    /// <summary>The record key of a journal key (HMAC-SHA256 of the label under the journal key).</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> journalKey) => HMACSHA256.HashData(journalKey, Label);

    /// <summary>The stored form of <paramref name="record"/> at <paramref name="place"/>: its bytes, then their seal.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> recordKey, DecisionRecordPlace place, DecisionRecord record)
    {
        var writer = new RecordWriter(1024);
        try
        {
            var start = Place(ref writer, place);
            DecisionRecordCodec.Write(ref writer, record);
            var length = writer.Length - start;
            var stored = new byte[length + JournalChain.MacLength];
            writer.Written[start..].CopyTo(stored);
            HMACSHA256.HashData(recordKey, writer.Written, stored.AsSpan(length));
            return stored;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>
    /// The record in <paramref name="stored"/> when its seal is the one of <paramref name="place"/>; else null and why not
    /// (<paramref name="refusal"/> reads after "the record …").
    /// </summary>
    public static DecisionRecord? Open(ReadOnlySpan<byte> recordKey, DecisionRecordPlace place, ReadOnlySpan<byte> stored, out string refusal)
    {
        refusal = "";
        if (stored.Length <= JournalChain.MacLength)
        {
            refusal = "is too short to be one";
            return null;
        }
        var bytes = stored[..^JournalChain.MacLength];
        var writer = new RecordWriter(bytes.Length + 256);
        Span<byte> mac = stackalloc byte[JournalChain.MacLength];
        try
        {
            Place(ref writer, place);
            writer.Bytes(bytes);
            HMACSHA256.HashData(recordKey, writer.Written, mac);
        }
        finally
        {
            writer.Dispose();
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, stored[^JournalChain.MacLength..]))
        {
            refusal = "has a seal that does not match (forged, edited, or moved from another row or call)";
            return null;
        }
        try
        {
            return DecisionRecordCodec.Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            refusal = $"cannot be read ({e.Message})";
            return null;
        }
    }

    private static int Place(ref RecordWriter w, DecisionRecordPlace place)
    {
        w.Bytes(Label);
        w.Int64(place.Position);
        w.Text(place.PersistenceId);
        w.Int64(place.ReceivedSequenceNr);
        w.Int64(place.DecidedSequenceNr);
        w.Int64(place.DecidedPosition);
        w.Text(place.CallId);
        return w.Length;
    }
}

/// <summary>
/// Where a decision record belongs: its model row (the call's first event's journal position), its session's
/// persistence id, the sequence numbers and the decision's journal position of its two events, its call.
/// </summary>
public readonly record struct DecisionRecordPlace(
    long Position,
    string PersistenceId,
    long ReceivedSequenceNr,
    long DecidedSequenceNr,
    long DecidedPosition,
    string CallId);
