using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// Claude Code's Read (<c>file_path</c>, <c>offset</c>: first line, 1-based; <c>limit</c>: lines): the lines as
/// <c>cat -n</c> prints them (number right-aligned in six columns, a tab, the line; long lines cut). Text only: a file
/// with NUL bytes is binary and refused; an image or PDF is returned as a base64 data URL when it is small enough
/// (<see cref="ToolLimits.MaxImageBytes"/>), else refused. A file over <see cref="ToolLimits.MaxFileBytes"/> is read
/// only in parts (offset/limit); the output stops before it would pass the run's output cap, and says where. Recorded:
/// the byte range returned and its digest.
/// </summary>
public sealed class ReadTool : IToolExecutor
{
    private const int SniffBytes = 8192;
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
    private static readonly byte[] Jpeg = [0xff, 0xd8, 0xff];

    public string Tool => ToolNames.Read;

    public bool HasSideEffects => false;

    public string? Validate(ToolCall call, ToolLimits limits) =>
        FileToolInput.PathProblem(call)
        ?? FileToolInput.WholeNumber(call, FileToolInput.Offset, 0).Problem
        ?? FileToolInput.WholeNumber(call, FileToolInput.Limit, 1).Problem;

    public Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        var check = FileAccessCheck.ForRead(FileToolInput.FilePath(run.Call), run);
        if (check.Refusal is { } refusal) return Task.FromResult(ToolOutcome.Failed(refusal));
        var path = check.Path!;
        try
        {
            using var directory = GuardedFile.OpenParent(check);
            using var file = GuardedFile.OpenRegular(directory, check.Name, path) ?? throw new BeneathException($"{path} does not exist", 0);
            return Task.FromResult(Read(run, file, path, cancellation));
        }
        catch (BeneathException e)
        {
            return Task.FromResult(ToolOutcome.Failed(e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(ToolOutcome.Failed($"{path}: {e.Message}"));
        }
    }

    private ToolOutcome Read(ToolRun run, OpenedFile file, string path, CancellationToken cancellation)
    {
        var limits = run.Limits;
        var offset = FileToolInput.WholeNumber(run.Call, FileToolInput.Offset, 0).Value;
        var limit = FileToolInput.WholeNumber(run.Call, FileToolInput.Limit, 1).Value;
        var sniff = new byte[(int)Math.Min(SniffBytes, file.Size)];
        var sniffed = RandomAccess.Read(file.Handle, sniff, 0);
        var head = sniff.AsSpan(0, sniffed);

        if (Media(head) is { } media)
        {
            if (file.Size > limits.MaxImageBytes)
                return ToolOutcome.Failed($"{path} is {media.Name} of {file.Size:N0} bytes; Read returns images and PDFs of at most {limits.MaxImageBytes:N0} bytes (as base64)");
            var bytes = GuardedFile.ReadAll(file, limits.MaxImageBytes, path, cancellation);
            return ToolOutcome.Ok($"data:{media.Type};base64,{Convert.ToBase64String(bytes)}\n", Record(path, bytes, file.Size));
        }
        if (head.IndexOf((byte)0) >= 0)
            return ToolOutcome.Failed($"{path} is a binary file ({file.Size:N0} bytes); Read returns text only");
        if (offset is null && limit is null && file.Size > limits.MaxFileBytes)
            return ToolOutcome.Failed($"{path} is {file.Size:N0} bytes, more than the {limits.MaxFileBytes:N0} bytes Read returns at once; pass offset and limit to read a part of it");
        return Lines(file, path, Math.Max(1, offset ?? 1), limit ?? limits.DefaultReadLines, limits, cancellation);
    }

    private static ToolOutcome Lines(OpenedFile file, string path, long first, long count, ToolLimits limits, CancellationToken cancellation)
    {
        var output = new StringBuilder();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long lineNumber = 1, position = 0, rangeStart = -1, rangeEnd = 0, returned = 0;
        string? stop = null;
        var line = new List<byte>();
        var buffer = new byte[64 * 1024];
        var outputBytes = 0;

        bool Emit(long start, long end)
        {
            if (lineNumber >= first && returned < count)
            {
                var text = Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\n').TrimEnd('\r');
                if (text.Length > limits.MaxLineCharacters) text = text[..limits.MaxLineCharacters] + $"… [line cut at {limits.MaxLineCharacters:N0} characters]";
                var entry = $"{lineNumber.ToString(CultureInfo.InvariantCulture),6}\t{text}\n";
                var size = Encoding.UTF8.GetByteCount(entry);
                if (outputBytes + size > limits.MaxOutputBytes - 256)
                {
                    stop = $"[output stopped before line {lineNumber:N0} at the {limits.MaxOutputBytes:N0}-byte output cap; read on with offset {lineNumber}]\n";
                    return false;
                }
                output.Append(entry);
                outputBytes += size;
                digest.AppendData(line.ToArray());
                if (rangeStart < 0) rangeStart = start;
                rangeEnd = end;
                returned++;
            }
            lineNumber++;
            line.Clear();
            return returned < count;
        }

        long lineStart = 0;
        var going = true;
        while (going)
        {
            cancellation.ThrowIfCancellationRequested();
            var n = RandomAccess.Read(file.Handle, buffer, position);
            if (n == 0)
            {
                if (line.Count > 0) Emit(lineStart, position);
                break;
            }
            for (var i = 0; i < n && going; i++)
            {
                line.Add(buffer[i]);
                if (buffer[i] != (byte)'\n') continue;
                going = Emit(lineStart, position + i + 1);
                lineStart = position + i + 1;
            }
            position += n;
        }

        if (stop is not null) output.Append(stop);
        else if (returned == 0)
            output.Append(lineNumber == 1 && first == 1 ? $"[{path} is empty]\n" : $"[{path} has {lineNumber - 1:N0} lines; offset {first:N0} is past its end]\n");
        var details = ImmutableSortedDictionary<string, string>.Empty
            .Add("lines", returned == 0 ? "none" : $"{first}-{first + returned - 1}")
            .Add("file-bytes", file.Size.ToString(CultureInfo.InvariantCulture));
        return ToolOutcome.Ok(output.ToString(), new ToolRecord(ToolNames.Read, path, Math.Max(0, rangeStart), rangeStart < 0 ? 0 : rangeEnd,
            "sha256:" + Convert.ToHexStringLower(digest.GetCurrentHash()), Details: details));
    }

    private static ToolRecord Record(string path, byte[] bytes, long size) =>
        new(ToolNames.Read, path, 0, bytes.Length, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Details: ImmutableSortedDictionary<string, string>.Empty.Add("file-bytes", size.ToString(CultureInfo.InvariantCulture)));

    private static (string Name, string Type)? Media(ReadOnlySpan<byte> head) =>
        head.StartsWith(Png) ? ("a PNG image", "image/png")
        : head.StartsWith(Jpeg) ? ("a JPEG image", "image/jpeg")
        : head.StartsWith("GIF8"u8) ? ("a GIF image", "image/gif")
        : head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? ("a WebP image", "image/webp")
        : head.StartsWith("%PDF-"u8) ? ("a PDF document", "application/pdf")
        : null;
}
