using System.Security.Cryptography;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Core.History.Integrity;

/// <summary>
/// Seals the counts the history read model's follower keeps beside the model, so a reader can tell rows deleted from
/// it: per agent and day (UTC, of the call's receipt) how many decision records the model holds
/// (<see cref="HistoryTally"/>), and the model's mark — the journal position folded so far and the total of those counts
/// (<see cref="HistoryMark"/>). Keyed from the journal key under a label of their own. Counts only grow, so an older
/// sealed tally put back makes the tallies' sum fall short of the mark's total, and an older mark falls short of the journal.
/// </summary>
public static class HistoryTallySeal
{
    private static readonly byte[] Label = "orchestrator history tally v1"u8.ToArray();

    /// <summary>The tally key of a journal key (HMAC-SHA256 of the label under the journal key).</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> journalKey) => HMACSHA256.HashData(journalKey, Label);

    public static byte[] Seal(ReadOnlySpan<byte> key, HistoryTally tally)
    {
        var writer = new RecordWriter(64 + tally.Agent.Length * 3);
        try
        {
            writer.Byte(1);
            writer.Text(tally.Agent);
            writer.Int64(tally.Day);
            writer.Int64(tally.Decisions);
            return HMACSHA256.HashData(key, writer.Written);
        }
        finally
        {
            writer.Dispose();
        }
    }

    public static byte[] Seal(ReadOnlySpan<byte> key, HistoryMark mark)
    {
        Span<byte> fields = stackalloc byte[17];
        fields[0] = 2;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(fields[1..], mark.Position);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(fields[9..], mark.Decisions);
        return HMACSHA256.HashData(key, fields);
    }

    public static bool IsSealOf(ReadOnlySpan<byte> key, HistoryTally tally, ReadOnlySpan<byte> seal) =>
        seal.Length == JournalChain.MacLength && CryptographicOperations.FixedTimeEquals(Seal(key, tally), seal);

    public static bool IsSealOf(ReadOnlySpan<byte> key, HistoryMark mark, ReadOnlySpan<byte> seal) =>
        seal.Length == JournalChain.MacLength && CryptographicOperations.FixedTimeEquals(Seal(key, mark), seal);
}

/// <summary>How many decided rows the history read model holds for calls of <paramref name="Agent"/> received on <paramref name="Day"/> (days since 0001-01-01, UTC).</summary>
public readonly record struct HistoryTally(string Agent, long Day, long Decisions)
{
    public static long DayOf(long utcTicks) => utcTicks / TimeSpan.TicksPerDay;

    /// <summary>
    /// What is counted — the one definition the model's follower (counting a batch) and a read of the model
    /// (<see cref="DecisionCountCheck"/>, selecting <c>decided_seq IS NOT NULL</c>) share: a row counts once it has its
    /// first decision (its <c>decided_seq</c>, set once, never cleared), under the agent and day of receipt its own
    /// columns name — whether the call ended before, with or after that decision, and whether or not its decision record
    /// could be made (a record missing is refused on its own).
    /// </summary>
    public static bool Counts(long? firstDecidedSequenceNr) => firstDecidedSequenceNr is not null;
}

/// <summary>The journal position the history read model has folded up to, and how many decision records it holds in all.</summary>
public readonly record struct HistoryMark(long Position, long Decisions);

/// <summary>A tally as the model stores it, with its seal (as stored: the reader checks it).</summary>
public sealed record SealedTally(HistoryTally Tally, byte[]? Seal);
