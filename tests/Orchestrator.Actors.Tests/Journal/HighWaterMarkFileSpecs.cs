using Orchestrator.Actors.Journal;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Actors.Tests.Journal;

/// <summary>
/// The high-water mark on disk: a flush appends only the sessions that moved since the last one, a reopened mark is the
/// mark file with its log, the log is folded into the mark file once it outgrows it, and a log alone is not a mark.
/// </summary>
public sealed class HighWaterMarkFileSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hwm-").FullName;

    private string MarkPath => Path.Combine(_directory, "high-water-mark");

    private string LogPath => HighWaterMarkFile.LogPath(MarkPath);

    private static byte[] Head(long n) => BitConverter.GetBytes(n).Concat(new byte[24]).ToArray();

    [Fact]
    public void A_flush_appends_only_the_sessions_that_advanced_since_the_last_one()
    {
        using var marks = new HighWaterMarkFile(MarkPath);
        for (var i = 0; i < 50; i++) marks.Advance($"session-{i}", 1, Head(1));
        marks.Flush();
        var markFile = File.ReadAllText(MarkPath);
        var logged = File.ReadAllLines(LogPath).Length;

        marks.Advance("session-7", 2, Head(2));
        marks.Advance("session-7", 3, Head(3));
        marks.Advance("session-9", 2, Head(2));
        marks.Flush();
        marks.Flush();

        Assert.Equal(markFile, File.ReadAllText(MarkPath));
        var appended = File.ReadAllLines(LogPath).Skip(logged).ToArray();
        Assert.Equal(2, appended.Length);
        Assert.Contains(appended, l => l.Contains("\"session-7\"", StringComparison.Ordinal) && l.Contains("\"sequenceNr\":3", StringComparison.Ordinal));
        Assert.Contains(appended, l => l.Contains("\"session-9\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_reopened_mark_is_the_mark_file_with_its_log()
    {
        using (var marks = new HighWaterMarkFile(MarkPath))
        {
            marks.Advance("a", 1, Head(1));
            marks.Advance("b", 4, Head(4));
            marks.Flush();
            marks.Advance("a", 2, Head(2));
            marks.Advance("a", 5, Head(5));
        }

        var read = HighWaterMarkFile.Read(MarkPath)!;
        using var reopened = new HighWaterMarkFile(MarkPath);

        Assert.Equal(5, read.Marks["a"].SequenceNr);
        Assert.Equal(Convert.ToHexStringLower(Head(5)), read.Marks["a"].Head);
        Assert.Equal(4, read.Marks["b"].SequenceNr);
        Assert.Equal(read.Marks, reopened.Current.Marks);
    }

    [Fact]
    public void The_log_is_folded_into_the_mark_file_once_it_outgrows_it()
    {
        using var marks = new HighWaterMarkFile(MarkPath);
        var largest = 0L;
        for (var n = 1; n <= 12_000; n++)
        {
            marks.Advance("busy", n, Head(n));
            marks.Flush();
            largest = Math.Max(largest, new FileInfo(LogPath).Length);
        }

        Assert.InRange(largest, 1 << 20, (1 << 20) + 200);
        Assert.True(new FileInfo(LogPath).Length < largest);
        Assert.Equal(12_000, HighWaterMarkFile.Read(MarkPath)!.Marks["busy"].SequenceNr);
        Assert.True(HighWaterMark.Parse(File.ReadAllText(MarkPath)).Marks["busy"].SequenceNr > 9_000);
    }

    [Fact]
    public void A_log_without_its_mark_file_is_not_a_mark_and_goes_when_a_mark_replaces_it()
    {
        using (var marks = new HighWaterMarkFile(MarkPath))
        {
            marks.Advance("a", 3, Head(3));
            marks.Flush();
            marks.Advance("a", 4, Head(4));
            marks.Flush();
        }
        File.Delete(MarkPath);

        Assert.Null(HighWaterMarkFile.Read(MarkPath));

        HighWaterMarkFile.Replace(MarkPath, HighWaterMark.Empty);
        Assert.False(File.Exists(LogPath));
        Assert.Empty(HighWaterMarkFile.Read(MarkPath)!.Marks);
    }

    [Fact]
    public void Without_a_mark_file_the_first_flush_writes_it_whole()
    {
        using var marks = new HighWaterMarkFile(MarkPath);
        marks.Advance("a", 2, Head(2));
        marks.Flush();

        Assert.Equal(2, HighWaterMark.Parse(File.ReadAllText(MarkPath)).Marks["a"].SequenceNr);
    }

    [Fact]
    public void The_mark_file_and_its_log_are_readable_by_their_owner_only()
    {
        using var marks = new HighWaterMarkFile(MarkPath);
        marks.Advance("a", 1, Head(1));
        marks.Flush();
        marks.Advance("a", 2, Head(2));
        marks.Flush();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(MarkPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LogPath));
    }

    [Fact]
    public void An_unreadable_log_line_makes_the_mark_unreadable()
    {
        using (var marks = new HighWaterMarkFile(MarkPath))
        {
            marks.Advance("a", 1, Head(1));
            marks.Flush();
        }
        File.AppendAllText(LogPath, "{\"id\":\"a\",\"sequenceNr\":\"lots\",\"head\":\"00\"}\n");

        var refused = Assert.Throws<FormatException>(() => HighWaterMarkFile.Read(MarkPath));
        Assert.Contains("line 1", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
