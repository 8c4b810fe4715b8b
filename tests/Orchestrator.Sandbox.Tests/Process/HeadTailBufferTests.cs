using System.Security.Cryptography;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

public sealed class HeadTailBufferTests
{
    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static CapturedOutput Capture(byte[] stream, int head, int tail, int chunk)
    {
        using var buffer = new HeadTailBuffer(head, tail);
        for (var i = 0; i < stream.Length; i += chunk)
            buffer.Write(stream.AsSpan(i, Math.Min(chunk, stream.Length - i)));
        return buffer.ToCapturedOutput();
    }

    [Fact]
    public void An_empty_stream_captures_nothing_and_hashes_like_empty()
    {
        using var buffer = new HeadTailBuffer(10, 10);
        var captured = buffer.ToCapturedOutput();
        Assert.Empty(captured.Head);
        Assert.Empty(captured.Tail);
        Assert.Equal(0, captured.TotalBytes);
        Assert.Equal(CapturedOutput.Empty.Sha256, captured.Sha256);
    }

    [Fact]
    public void A_stream_shorter_than_the_head_is_kept_whole_in_the_head()
    {
        var stream = RandomBytes(50, 1);
        var captured = Capture(stream, 100, 100, 7);
        Assert.Equal(stream, captured.Head);
        Assert.Empty(captured.Tail);
        Assert.False(captured.Truncated);
        Assert.Equal(Sha(stream), captured.Sha256);
    }

    [Fact]
    public void A_stream_exactly_head_plus_tail_long_is_kept_whole()
    {
        var stream = RandomBytes(200, 2);
        var captured = Capture(stream, 120, 80, 33);
        Assert.False(captured.Truncated);
        Assert.Equal(stream, captured.Head.Concat(captured.Tail).ToArray());
        Assert.Equal(200, captured.TotalBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(80)]
    [InlineData(81)]
    [InlineData(4096)]
    public void A_longer_stream_keeps_the_first_and_last_bytes_whatever_the_write_sizes(int chunk)
    {
        var stream = RandomBytes(10_001, 3);
        var captured = Capture(stream, 120, 80, chunk);
        Assert.True(captured.Truncated);
        Assert.Equal(stream[..120], captured.Head);
        Assert.Equal(stream[^80..], captured.Tail);
        Assert.Equal(stream.Length, captured.TotalBytes);
        Assert.Equal(Sha(stream), captured.Sha256);
    }

    [Fact]
    public void Zero_sized_head_or_tail_keeps_only_the_other_end()
    {
        var stream = RandomBytes(500, 4);

        var tailOnly = Capture(stream, 0, 64, 9);
        Assert.Empty(tailOnly.Head);
        Assert.Equal(stream[^64..], tailOnly.Tail);

        var headOnly = Capture(stream, 64, 0, 9);
        Assert.Equal(stream[..64], headOnly.Head);
        Assert.Empty(headOnly.Tail);
        Assert.Equal(500, headOnly.TotalBytes);
        Assert.Equal(Sha(stream), headOnly.Sha256);
    }

    [Fact]
    public void Negative_limits_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeadTailBuffer(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeadTailBuffer(0, -1));
    }
}
