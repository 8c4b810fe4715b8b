using System.Buffers;
using System.Text;
using CsCheck;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.Tests.History.Integrity;

public sealed class HighWaterMarkLogTests
{
    private static readonly Gen<(string Id, long SequenceNr, byte[] Head)> Advance =
        Gen.Select(Gen.OneOf(Gen.Const("session-a"), Gen.Const("session-b"), Gen.String[Gen.Char, 1, 12]), Gen.Long[1, 1_000_000], Gen.Byte.Array[32]);

    private static byte[] Lines(IEnumerable<(string Id, long SequenceNr, byte[] Head)> advances)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var (id, sequenceNr, head) in advances)
            HighWaterMarkLog.Append(output, [KeyValuePair.Create(id, (sequenceNr, head))]);
        return output.WrittenSpan.ToArray();
    }

    private static HighWaterMark Applied(HighWaterMark mark, IEnumerable<(string Id, long SequenceNr, byte[] Head)> advances)
    {
        foreach (var (id, sequenceNr, head) in advances) mark = mark.With(id, sequenceNr, head);
        return mark;
    }

    [Fact]
    public void A_log_read_on_top_of_a_mark_gives_the_furthest_advance_of_each_session_in_any_order()
    {
        Gen.Select(Advance.Array[0, 6], Advance.Array[0, 30]).Sample((before, logged) =>
        {
            var mark = Applied(HighWaterMark.Empty, before);
            Assert.Equal(Applied(mark, logged).Marks, HighWaterMarkLog.ApplyTo(mark, Lines(logged)).Marks);
        });
    }

    [Fact]
    public void An_advance_behind_the_mark_does_not_lower_it()
    {
        var mark = HighWaterMark.Empty.With("s", 9, new byte[32]);

        var read = HighWaterMarkLog.ApplyTo(mark, Lines([("s", 4, Enumerable.Repeat((byte)1, 32).ToArray())]));

        Assert.Equal(9, read.Marks["s"].SequenceNr);
        Assert.Equal(Convert.ToHexStringLower(new byte[32]), read.Marks["s"].Head);
    }

    [Fact]
    public void A_last_line_cut_short_by_a_crash_is_left_out()
    {
        var whole = Lines([("s", 1, new byte[32]), ("s", 2, new byte[32])]);
        for (var cut = whole.Length - 1; cut > whole.Length / 2; cut--)
            Assert.Equal(1, HighWaterMarkLog.ApplyTo(HighWaterMark.Empty, whole.AsSpan(0, cut)).Marks["s"].SequenceNr);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"id\":\"s\",\"sequenceNr\":0,\"head\":\"00\"}")]
    [InlineData("{\"id\":\"s\",\"sequenceNr\":1,\"head\":\"zz\"}")]
    [InlineData("{\"id\":\"s\",\"sequenceNr\":1,\"head\":\"00\",\"more\":1}")]
    [InlineData("{\"id\":\"s\",\"sequenceNr\":1,\"head\":\"00\",\"id\":\"t\"}")]
    [InlineData("{\"id\":\"s\",\"sequenceNr\":1,\"head\":\"00\"} {}")]
    [InlineData("[1]")]
    public void A_whole_line_that_is_not_an_advance_makes_the_log_unreadable_naming_the_line(string bad)
    {
        var log = Lines([("s", 1, new byte[32])]).Concat(Encoding.UTF8.GetBytes(bad + "\n")).ToArray();

        var refused = Assert.Throws<FormatException>(() => HighWaterMarkLog.ApplyTo(HighWaterMark.Empty, log));

        Assert.Contains("line 2", refused.Message, StringComparison.Ordinal);
    }
}
