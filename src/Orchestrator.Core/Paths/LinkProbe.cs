using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Core.Paths;

/// <summary>
/// One system call per path component: <c>readlink</c> says at once whether the entry is missing, a symlink (and
/// where it points) or something else — without the allocations and the extra <c>stat</c> of <see cref="FileInfo"/>.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal static partial class LinkProbe
{
    private const int EINVAL = 22;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    public static FileEntry Probe(string path)
    {
        if (OperatingSystem.IsWindows()) return ManagedProbe(path);

        Span<byte> buffer = stackalloc byte[PathText.MaxLength + 1];
        var length = ReadLink(path, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        if (length >= 0)
        {
            if (length >= buffer.Length) throw new IOException($"symbolic link target at {path} is too long");
            return new FileEntry(FileEntryKind.Link, Encoding.UTF8.GetString(buffer[..(int)length]));
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EINVAL => FileEntry.Other,
            ENOENT or ENOTDIR => FileEntry.Missing,
            _ => throw new IOException($"cannot inspect {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    private static FileEntry ManagedProbe(string path)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes;
        if ((int)attributes == -1) return FileEntry.Missing;
        if ((attributes & FileAttributes.ReparsePoint) == 0 || info.LinkTarget is not { } link) return FileEntry.Other;
        return new FileEntry(FileEntryKind.Link, link);
    }

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLink(string path, ref byte buffer, nint size);
}
