using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tools.Files;

/// <summary>
/// The one way Write, Edit and MultiEdit change a file: checked by <see cref="FileAccessCheck.ForWrite"/>, loaded
/// through <see cref="GuardedFile"/>, changed in memory, then — under the file's lock — loaded again and compared: if
/// another change landed meanwhile the call is refused as a conflict and nothing is written; else the new content
/// replaces the file atomically (mode kept). Recorded: the digests before and after and a bounded unified diff.
/// Cancellation is honoured up to the write, never after it.
/// </summary>
internal static class FileChange
{
    /// <summary>What a tool makes of the file's current text (null: it does not exist): the new text and a one-line summary, or a problem.</summary>
    public delegate (string? After, string Summary, string? Problem) Change(string? before, string shown);

    public static ToolOutcome Run(ToolRun run, string tool, Change change, bool createParents, CancellationToken cancellation)
    {
        var check = FileAccessCheck.ForWrite(FileToolInput.FilePath(run.Call), run);
        if (check.Refusal is { } refusal) return ToolOutcome.Failed(refusal);
        var path = check.Path!;
        try
        {
            using var directory = GuardedFile.OpenParent(check, createParents);
            var (before, mode) = Load(directory, check, run.Limits, cancellation);
            var beforeText = before is null ? null : TextOf(before);
            if (before is not null && beforeText is null)
                return ToolOutcome.Failed($"{path} is not UTF-8 text; {tool} changes text files only");
            var (after, summary, problem) = change(beforeText, path);
            if (problem is not null) return ToolOutcome.Failed(problem, new ToolRecord(tool, path, BeforeDigest: Digest(before)));
            var afterBytes = Encoding.UTF8.GetBytes(after!);

            var gate = FileLocks.For(path);
            gate.Wait(cancellation);
            try
            {
                var (now, _) = Load(directory, check, run.Limits, cancellation);
                if (!Same(before, now))
                    return ToolOutcome.Failed(
                        $"conflict: {path} changed while this {tool} was being made (it was {Digest(before) ?? "absent"}, it is now {Digest(now) ?? "absent"}); nothing was written — read it again and retry",
                        new ToolRecord(tool, path, BeforeDigest: Digest(now)));
                cancellation.ThrowIfCancellationRequested();
                GuardedFile.WriteAtomically(directory, check.Name, afterBytes, mode, path);
            }
            finally
            {
                gate.Release();
            }
            var (diff, truncated) = UnifiedDiff.Of(beforeText, after!, path, run.Limits.MaxDiffBytes);
            return ToolOutcome.Ok(summary, new ToolRecord(tool, path, BeforeDigest: Digest(before), AfterDigest: Digest(afterBytes),
                Diff: diff, DiffTruncated: truncated));
        }
        catch (BeneathException e)
        {
            return ToolOutcome.Failed(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ToolOutcome.Failed($"{path}: {e.Message}");
        }
    }

    public static string? Digest(byte[]? bytes) => bytes is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Strict UTF-8 without NUL (a NUL means binary); null when the bytes are not such text.</summary>
    public static string? TextOf(byte[] bytes)
    {
        if (bytes.AsSpan().IndexOf((byte)0) >= 0) return null;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static (byte[]? Bytes, UnixFileMode? Mode) Load(Microsoft.Win32.SafeHandles.SafeFileHandle directory, FileCheck check, ToolLimits limits, CancellationToken cancellation)
    {
        using var file = GuardedFile.OpenRegular(directory, check.Name, check.Path!);
        return file is null ? (null, null) : (GuardedFile.ReadAll(file, limits.MaxFileBytes, check.Path!, cancellation), file.Mode);
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
