using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>Read on a real filesystem: numbered lines, parts, limits, binary and media files, hidden and odd files.</summary>
public sealed class ReadToolTests : IDisposable
{
    private readonly FileToolHarness _h = new(deny: ["Read(./secrets/**)"]);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_file_reads_as_numbered_lines_with_its_byte_range_and_digest_recorded()
    {
        var path = _h.InWorkspace("a.txt");
        await File.WriteAllTextAsync(path, "alpha\nbeta\r\ngamma");

        var read = await _h.ReadAsync(path);

        Assert.True(read.Succeeded, read.Error);
        Assert.Equal("     1\talpha\n     2\tbeta\n     3\tgamma\n", read.Output);
        Assert.Equal(path, read.Record!.Target);
        Assert.Equal((0L, 17L), (read.Record.RangeStart!.Value, read.Record.RangeEnd!.Value));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), read.Record.Digest);
    }

    [Fact]
    public async Task Offset_and_limit_return_that_part_and_record_its_byte_range()
    {
        var path = _h.InWorkspace("lines.txt");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n")));

        var read = await _h.ReadAsync(path, offset: 3, limit: 2);

        Assert.Equal("     3\tline 3\n     4\tline 4\n", read.Output);
        Assert.Equal(14, read.Record!.RangeStart);
        Assert.Equal(28, read.Record.RangeEnd);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData("line 3\nline 4\n"u8)), read.Record.Digest);
        Assert.Equal("3-4", read.Record.Details!["lines"]);
    }

    [Fact]
    public async Task A_long_line_is_cut_and_an_offset_past_the_end_says_so()
    {
        var path = _h.InWorkspace("long.txt");
        await File.WriteAllTextAsync(path, new string('x', 5000) + "\nshort\n");

        var read = await _h.ReadAsync(path);
        var past = await _h.ReadAsync(path, offset: 9);

        Assert.Contains("[line cut at 2,000 characters]", read.Output);
        Assert.Contains("     2\tshort\n", read.Output);
        Assert.Contains("has 2 lines; offset 9 is past its end", past.Output);
    }

    [Fact]
    public async Task Output_stops_at_the_output_cap_and_says_where_to_read_on()
    {
        var path = _h.InWorkspace("many.txt");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(1, 1000).Select(i => $"{i} {new string('y', 100)}\n")));
        _h.Limits = _h.Limits with { MaxOutputBytes = 4096 };

        var read = await _h.ReadAsync(path);

        Assert.True(Encoding.UTF8.GetByteCount(read.Output) <= 4096);
        Assert.Matches(@"read on with offset \d+\]\n$", read.Output);
    }

    [Fact]
    public async Task A_binary_file_is_refused_and_a_small_image_comes_back_as_a_data_url_while_a_large_one_is_refused()
    {
        var binary = _h.InWorkspace("blob.bin");
        await File.WriteAllBytesAsync(binary, [1, 2, 0, 3]);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0];
        var small = _h.InWorkspace("small.png");
        await File.WriteAllBytesAsync(small, png);
        var large = _h.InWorkspace("large.pdf");
        await File.WriteAllBytesAsync(large, [.. "%PDF-1.7\n"u8, .. new byte[100_000]]);

        Assert.Contains("is a binary file", (await _h.ReadAsync(binary)).Error);
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(png)}\n", (await _h.ReadAsync(small)).Output);
        Assert.Contains("is a PDF document of 100,009 bytes", (await _h.ReadAsync(large)).Error);
    }

    [Fact]
    public async Task A_huge_file_is_read_only_in_parts()
    {
        var path = _h.InWorkspace("huge.log");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Range(1, 3000).Select(i => $"row {i}\n")));
        _h.Limits = _h.Limits with { MaxFileBytes = 1000 };

        var whole = await _h.ReadAsync(path);
        var part = await _h.ReadAsync(path, offset: 2999);

        Assert.Contains("pass offset and limit", whole.Error);
        Assert.Equal("  2999\trow 2999\n  3000\trow 3000\n", part.Output);
    }

    [Fact]
    public async Task Directories_fifos_missing_files_and_hidden_paths_are_refused_without_blocking()
    {
        Directory.CreateDirectory(_h.InWorkspace("dir"));
        var fifo = _h.InWorkspace("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        Directory.CreateDirectory(_h.InWorkspace("secrets"));
        await File.WriteAllTextAsync(_h.InWorkspace("secrets/key"), "k");

        Assert.Contains("is a directory", (await _h.ReadAsync(_h.InWorkspace("dir"))).Error);
        Assert.Contains("is not a regular file", (await _h.ReadAsync(fifo)).Error);
        Assert.Contains("does not exist", (await _h.ReadAsync(_h.InWorkspace("nope.txt"))).Error);
        Assert.Contains("hidden by the policy", (await _h.ReadAsync(_h.InWorkspace("secrets/key"))).Error);
    }

    [Fact]
    public async Task A_link_to_a_hidden_file_is_judged_by_where_it_points()
    {
        Directory.CreateDirectory(_h.InWorkspace("secrets"));
        await File.WriteAllTextAsync(_h.InWorkspace("secrets/key"), "k");
        File.CreateSymbolicLink(_h.InWorkspace("innocent.txt"), _h.InWorkspace("secrets/key"));

        var read = await _h.ReadAsync(_h.InWorkspace("innocent.txt"));

        Assert.False(read.Succeeded);
        Assert.Contains("hidden by the policy", read.Error);
    }

    [Fact]
    public async Task A_link_retargeted_between_the_judgment_and_the_run_is_refused_not_followed()
    {
        await File.WriteAllTextAsync(_h.InWorkspace("public.txt"), "public\n");
        await File.WriteAllTextAsync(_h.InWorkspace("private.txt"), "private\n");
        var link = _h.InWorkspace("current.txt");
        File.CreateSymbolicLink(link, _h.InWorkspace("public.txt"));
        var call = FileToolHarness.Call(ToolNames.Read, ("file_path", link));
        var judged = _h.Judge(call);

        File.Delete(link);
        File.CreateSymbolicLink(link, _h.InWorkspace("private.txt"));
        var read = await _h.RunAsync(call, judged: judged);

        Assert.False(read.Succeeded);
        Assert.Contains($"resolves to {_h.InWorkspace("private.txt")} now but resolved to {_h.InWorkspace("public.txt")} when the call was judged", read.Error);
        Assert.Equal("     1\tpublic\n", (await _h.RunAsync(FileToolHarness.Call(ToolNames.Read, ("file_path", _h.InWorkspace("public.txt"))))).Output);
    }

    [Theory]
    [InlineData("relative/a.txt", "must be an absolute path")]
    [InlineData("/ws/a\0b", "NUL")]
    public async Task Bad_paths_are_refused_before_anything_is_opened(string path, string expected)
    {
        var read = await _h.RunAsync(FileToolHarness.Call(ToolNames.Read, ("file_path", path)));

        Assert.Contains(expected, read.Error);
    }

    [Theory]
    [InlineData("offset", "-1")]
    [InlineData("limit", "0")]
    [InlineData("limit", "2.5")]
    public async Task Offsets_and_limits_must_be_whole_numbers_in_range(string field, string value)
    {
        var read = await _h.RunAsync(FileToolHarness.Call(ToolNames.Read, ("file_path", _h.InWorkspace("a.txt")), (field, value)));

        Assert.Contains($"input.{field} must be a whole number", read.Error);
    }
}
