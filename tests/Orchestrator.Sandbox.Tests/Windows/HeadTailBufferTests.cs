using System.Security.Cryptography;
using System.Text;
using Orchestrator.Sandbox.Windows;

namespace Orchestrator.Sandbox.Tests.Windows;

public sealed class HeadTailBufferTests
{
    [Fact]
    public void Short_output_is_kept_whole_in_the_head()
    {
        using var buffer = new HeadTailBuffer(8, 4);
        buffer.Write("hello"u8);

        var output = buffer.ToCapturedOutput();

        Assert.Equal("hello", output.Text);
        Assert.False(output.Truncated);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello"u8)), output.Sha256);
    }

    [Fact]
    public void Long_output_keeps_head_and_tail_and_hashes_everything()
    {
        var all = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + i % 26))));
        using var buffer = new HeadTailBuffer(5, 7);
        foreach (var chunk in all.Chunk(3))
            buffer.Write(chunk);

        var output = buffer.ToCapturedOutput();

        Assert.Equal(all[..5], output.Head);
        Assert.Equal(all[^7..], output.Tail);
        Assert.Equal(100, output.TotalBytes);
        Assert.True(output.Truncated);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(all)), output.Sha256);
    }

    [Fact]
    public void One_write_larger_than_the_tail_keeps_its_last_bytes()
    {
        using var buffer = new HeadTailBuffer(2, 3);
        buffer.Write("abcdefgh"u8);

        var output = buffer.ToCapturedOutput();

        Assert.Equal("ab"u8.ToArray(), output.Head);
        Assert.Equal("fgh"u8.ToArray(), output.Tail);
    }
}
