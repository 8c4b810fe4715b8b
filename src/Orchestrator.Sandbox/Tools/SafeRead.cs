using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Reads a file found by a search walk without following a symlink and without blocking: the last component is
/// opened with <c>O_NOFOLLOW|O_NONBLOCK</c> (a FIFO or device does not hang the search), only a seekable file is read,
/// and the file actually opened (<c>/proc/self/fd</c>) must lie beneath <c>root</c>, so a directory swapped for a
/// symlink between the walk and the open cannot redirect the read out of the tree.
/// </summary>
internal static partial class SafeRead
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloexec = 0x80000;
    private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>The canonical path (every symlink resolved), or null when it does not exist.</summary>
    public static string? Canonical(string path)
    {
        if (!OperatingSystem.IsLinux()) return Path.GetFullPath(path);
        var resolved = RealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Free(resolved); }
    }

    /// <summary>The file's bytes as UTF-8 text; null when it is binary (a NUL byte), larger than <paramref name="maxBytes"/>,
    /// not a regular file, a symlink, unreadable, or outside <paramref name="canonicalRoot"/>.</summary>
    public static string? Text(string path, long maxBytes, string canonicalRoot)
    {
        if (Bytes(path, maxBytes, canonicalRoot) is not { } bytes || bytes.AsSpan().IndexOf((byte)0) >= 0) return null;
        return Encoding.UTF8.GetString(bytes);
    }

    public static byte[]? Bytes(string path, long maxBytes, string canonicalRoot)
    {
        if (!OperatingSystem.IsLinux()) return File.ReadAllBytes(path);
        var fd = Open(path, ORdOnly | ONonBlock | OCloexec | ONoFollow);
        if (fd < 0) return null;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var opened = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            if (opened is null || !Core.Paths.PathText.IsSameOrUnder(opened, canonicalRoot, StringComparison.Ordinal)) return null;
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek || stream.Length > maxBytes) return null;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // EndOfStreamException is an IOException
    }
}
