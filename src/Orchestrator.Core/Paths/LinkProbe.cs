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
    public enum Kind { Missing, Link, Other }

    private const int EINVAL = 22;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    public static Kind Probe(string path, out string? target)
    {
        target = null;
        if (OperatingSystem.IsWindows()) return ManagedProbe(path, out target);

        Span<byte> buffer = stackalloc byte[PathText.MaxLength + 1];
        var length = ReadLink(path, ref MemoryMarshal.GetReference(buffer), buffer.Length);
        if (length >= 0)
        {
            if (length >= buffer.Length) throw new IOException($"symbolic link target at {path} is too long");
            target = Encoding.UTF8.GetString(buffer[..(int)length]);
            return Kind.Link;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EINVAL => Kind.Other,
            ENOENT or ENOTDIR => Kind.Missing,
            _ => throw new IOException($"cannot inspect {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    private static Kind ManagedProbe(string path, out string? target)
    {
        target = null;
        var info = new FileInfo(path);
        var attributes = info.Attributes;
        if ((int)attributes == -1) return Kind.Missing;
        if ((attributes & FileAttributes.ReparsePoint) == 0 || info.LinkTarget is not { } link) return Kind.Other;
        target = link;
        return Kind.Link;
    }

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ReadLink(string path, ref byte buffer, nint size);
}
