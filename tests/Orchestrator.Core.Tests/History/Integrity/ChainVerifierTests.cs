using System.Text;
using CsCheck;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Tests.History.Integrity;

public class ChainVerifierTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private const string Id = "session-s";

    private sealed record Row(SealedFields Fields, byte[] Mac);

    private static List<Row> Chain(int count, byte[]? key = null)
    {
        var rows = new List<Row>();
        ReadOnlyMemory<byte> previous = JournalChain.Genesis;
        for (var n = 1; n <= count; n++)
        {
            var fields = new SealedFields(Id, n, 4201, n % 2 == 0 ? "call-decided.v1" : "call-received.v1",
                Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), previous);
            var mac = JournalChain.Seal(key ?? Key, fields);
            rows.Add(new Row(fields, mac));
            previous = mac;
        }
        return rows;
    }

    /// <summary>What the journal would hand a replay: rows in sequence-number order, numbered as stored.</summary>
    private static ChainBreak? Verify(IEnumerable<Row> rows)
    {
        var verifier = new ChainVerifier(Key, Id);
        foreach (var row in rows)
            if (verifier.Accept(row.Fields, row.Mac) is { } broken) return broken;
        return null;
    }

    [Fact]
    public void An_untouched_chain_verifies_and_ends_at_its_last_event()
    {
        var verifier = new ChainVerifier(Key, Id);
        foreach (var row in Chain(5)) Assert.Null(verifier.Accept(row.Fields, row.Mac));
        Assert.Equal(5, verifier.LastSequenceNr);
    }

    [Fact]
    public void Any_single_edited_payload_byte_is_detected_at_its_event() =>
        Gen.Select(Gen.Int[2, 12], Gen.Int[0, 100], Gen.Byte[1, 255]).Sample((count, at, flip) =>
        {
            var rows = Chain(count);
            var target = at % count;
            var payload = rows[target].Fields.Payload.ToArray();
            payload[at % payload.Length] ^= flip;
            rows[target] = rows[target] with { Fields = rows[target].Fields with { Payload = payload } };
            Assert.Equal(target + 1, Verify(rows)?.SequenceNr);
        });

    [Fact]
    public void Any_deleted_event_but_the_last_is_detected_at_the_one_after_it() =>
        Gen.Select(Gen.Int[2, 12], Gen.Int[0, 100]).Sample((count, at) =>
        {
            var rows = Chain(count);
            var target = at % (count - 1);
            rows.RemoveAt(target);
            Assert.Equal(target + 2, Verify(rows)?.SequenceNr);
        });

    [Fact]
    public void Any_two_events_swapped_in_place_are_detected_at_the_first() =>
        Gen.Select(Gen.Int[2, 12], Gen.Int[0, 100], Gen.Int[0, 100]).Where((c, a, b) => a % c != b % c).Sample((count, a, b) =>
        {
            var rows = Chain(count);
            var (i, j) = (Math.Min(a % count, b % count), Math.Max(a % count, b % count));
            // Moved rows keep their content and seal but take the other's place (sequence number).
            var (ri, rj) = (rows[i], rows[j]);
            rows[i] = rj with { Fields = rj.Fields with { SequenceNr = i + 1 } };
            rows[j] = ri with { Fields = ri.Fields with { SequenceNr = j + 1 } };
            Assert.Equal(i + 1, Verify(rows)?.SequenceNr);
        });

    [Fact]
    public void An_event_sealed_with_another_key_is_detected()
    {
        var rows = Chain(3);
        var forged = Chain(4, key: new byte[32])[3];
        rows.Add(forged);
        Assert.Equal(4, Verify(rows)?.SequenceNr);
    }

    [Fact]
    public void An_event_moved_from_another_session_is_detected()
    {
        var rows = Chain(3);
        var verifier = new ChainVerifier(Key, "session-other");
        Assert.Equal(1, verifier.Accept(rows[0].Fields, rows[0].Mac)?.SequenceNr);
    }
}
