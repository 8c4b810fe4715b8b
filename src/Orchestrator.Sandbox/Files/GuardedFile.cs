using Microsoft.Win32.SafeHandles;
using static Orchestrator.Sandbox.Files.FileNative;

namespace Orchestrator.Sandbox.Files;

/// <summary>
/// File operations on a path <see cref="FileAccessCheck"/> allowed, each through <see cref="BeneathOpen"/>: the parent
/// directory is opened beneath the check's base without links, the file by name in it with <c>O_NOFOLLOW</c> (and
/// <c>O_NONBLOCK</c>, so a FIFO never blocks), only regular files are read, and writes are atomic: a temporary file in
/// the same directory, synced, given the old file's mode, renamed over the name through the directory's handle.
/// </summary>
public static class GuardedFile
{
    /// <summary>The parent directory of the checked path (creating missing directories when <paramref name="create"/>).</summary>
    public static SafeFileHandle OpenParent(FileCheck check, bool create = false)
    {
        using var root = BeneathOpen.OpenRoot(check.Base!);
        return BeneathOpen.OpenDirectory(root, check.ParentRelative, create, check.Path!);
    }

    /// <summary>The regular file <paramref name="name"/> in <paramref name="directory"/> opened for reading with its mode and size; null when it does not exist.</summary>
    public static OpenedFile? OpenRegular(SafeFileHandle directory, string name, string shown)
    {
        SafeFileHandle file;
        try
        {
            file = BeneathOpen.OpenIn(directory, name, ORdOnly | ONonBlock, 0, shown);
        }
        catch (BeneathException e) when (e.Errno == ENoEnt)
        {
            return null;
        }
        var (mode, size) = BeneathOpen.Stat(file, shown);
        if ((mode & SIfMt) != SIfReg)
        {
            file.Dispose();
            throw new BeneathException((mode & SIfMt) == SIfDir ? $"{shown} is a directory" : $"{shown} is not a regular file", 0);
        }
        return new OpenedFile(file, (UnixFileMode)(mode & 0xfff), size);
    }

    /// <summary>The whole content of an opened file, refused beyond <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAll(OpenedFile file, long maxBytes, string shown, CancellationToken cancellation)
    {
        if (file.Size > maxBytes) throw new BeneathException($"{shown} is {file.Size:N0} bytes, more than the {maxBytes:N0} bytes a file tool loads", 0);
        var buffer = new byte[file.Size];
        var read = 0;
        while (read < buffer.Length)
        {
            cancellation.ThrowIfCancellationRequested();
            var n = RandomAccess.Read(file.Handle, buffer.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>
    /// Replaces (or creates) <paramref name="name"/> in <paramref name="directory"/> with <paramref name="content"/> at
    /// once: readers see the old file or the new one, never a part. The new file gets <paramref name="mode"/> (the old
    /// file's), or the default mode under the umask for a new file.
    /// </summary>
    public static void WriteAtomically(SafeFileHandle directory, string name, ReadOnlySpan<byte> content, UnixFileMode? mode, string shown)
    {
        var temporary = $".{name}.{Guid.NewGuid():n}.orchestrator-tmp";
        if (temporary.Length > 255) temporary = $".orchestrator-{Guid.NewGuid():n}.tmp";
        var renamed = false;
        try
        {
            using (var file = BeneathOpen.OpenIn(directory, temporary, OWrOnly | OCreat | OExcl, 0x1b6, shown))
            {
                RandomAccess.Write(file, content, 0);
                if (mode is { } kept && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file, kept);
                BeneathOpen.Sync(file, shown);
            }
            BeneathOpen.Rename(directory, temporary, name, shown);
            renamed = true;
        }
        finally
        {
            if (!renamed) BeneathOpen.Unlink(directory, temporary);
        }
    }
}

/// <summary>An open regular file with its permission bits and size at opening.</summary>
public sealed record OpenedFile(SafeFileHandle Handle, UnixFileMode Mode, long Size) : IDisposable
{
    public void Dispose() => Handle.Dispose();
}

/// <summary>
/// One lock per file path (striped) for the read-compare-write of writes and edits in this process: the second of two
/// concurrent changes of one file sees the first's result and reports a conflict instead of overwriting it.
/// </summary>
public static class FileLocks
{
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public static SemaphoreSlim For(string path) => Stripes[(uint)StringComparer.Ordinal.GetHashCode(path) % (uint)Stripes.Length];
}
