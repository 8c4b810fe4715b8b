using CsCheck;
using Orchestrator.Core.History.Integrity;
using Orchestrator.Core.History.Replay;

namespace Orchestrator.Core.Tests.History.Replay;

/// <summary>
/// The history read model's compact decision record: whatever a journal can hold (masked inputs with their sealed real
/// input, hooks, a rewritten input, facts or none) comes back field for field; a seal opens only at the place it was
/// made for, under the key it was made with, over the bytes it was made on.
/// </summary>
public sealed class DecisionRecordCodecTests
{
    private static readonly DecisionRecordPlace Place = new(41, "session-s1", 7, 9, 44, "call-1");

    [Fact]
    public void Every_record_decodes_to_the_record_encoded() =>
        DecisionRecordGen.Record.Sample(record =>
            Assert.Equal(DecisionRecordGen.Fields(record), DecisionRecordGen.Fields(DecisionRecordCodec.Decode(DecisionRecordCodec.Encode(record)))));

    [Fact]
    public void Every_sealed_record_opens_at_its_own_place_to_the_record_sealed() =>
        DecisionRecordGen.Record.Sample(record =>
        {
            var key = DecisionRecordSeal.DeriveKey("journal key"u8);
            var place = Place with { CallId = record.CallId.Value };
            var opened = DecisionRecordSeal.Open(key, place, DecisionRecordSeal.Seal(key, place, record), out var refusal);
            Assert.True(opened is not null, refusal);
            Assert.Equal(DecisionRecordGen.Fields(record), DecisionRecordGen.Fields(opened));
        }, iter: 200);

    [Fact]
    public void A_record_with_any_one_byte_changed_does_not_open() =>
        Gen.Select(DecisionRecordGen.Record, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]).Sample((record, at, flip) =>
        {
            var key = DecisionRecordSeal.DeriveKey("journal key"u8);
            var stored = DecisionRecordSeal.Seal(key, Place, record);
            stored[at % stored.Length] ^= flip;
            Assert.Null(DecisionRecordSeal.Open(key, Place, stored, out var refusal));
            Assert.Contains("does not match", refusal);
        }, iter: 200);

    [Fact]
    public void A_record_does_not_open_at_any_other_place_or_under_another_key()
    {
        var record = DecisionRecordGen.Record.Single();
        var key = DecisionRecordSeal.DeriveKey("journal key"u8);
        var stored = DecisionRecordSeal.Seal(key, Place, record);
        DecisionRecordPlace[] elsewhere =
        [
            Place with { Position = 42 }, Place with { PersistenceId = "session-s2" }, Place with { ReceivedSequenceNr = 8 },
            Place with { DecidedSequenceNr = 10 }, Place with { DecidedPosition = 45 }, Place with { CallId = "call-2" },
        ];
        foreach (var place in elsewhere) Assert.Null(DecisionRecordSeal.Open(key, place, stored, out _));
        Assert.Null(DecisionRecordSeal.Open(DecisionRecordSeal.DeriveKey("another journal key"u8), Place, stored, out _));
        Assert.NotNull(DecisionRecordSeal.Open(key, Place, stored, out _));
    }

    [Fact]
    public void A_record_cut_short_or_too_short_to_hold_a_seal_does_not_open()
    {
        var key = DecisionRecordSeal.DeriveKey("journal key"u8);
        var stored = DecisionRecordSeal.Seal(key, Place, DecisionRecordGen.Record.Single());
        Assert.Null(DecisionRecordSeal.Open(key, Place, stored.AsSpan(0, stored.Length - 1), out _));
        Assert.Null(DecisionRecordSeal.Open(key, Place, stored.AsSpan(0, 32), out var refusal));
        Assert.Contains("too short", refusal);
    }

    [Fact]
    public void Bytes_cut_short_or_of_another_version_are_refused_by_the_decoder()
    {
        var bytes = DecisionRecordCodec.Encode(DecisionRecordGen.Record.Single());
        Assert.Throws<InvalidDataException>(() => DecisionRecordCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => DecisionRecordCodec.Decode([.. bytes, 0]));
        bytes[0] = DecisionRecordCodec.Version + 1;
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => DecisionRecordCodec.Decode(bytes)).Message);
    }
}
