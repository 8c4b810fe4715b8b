using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Orchestrator.Sandbox.Files.FileNative;

namespace Orchestrator.Sandbox.Files;

/// <summary>
/// Opens paths beneath a directory without following any symbolic link, so a link swapped in between a check and a use
/// cannot redirect the use: <c>openat2</c> with <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS</c>
/// where the kernel has it, else a checked walk that opens each directory with <c>O_NOFOLLOW | O_DIRECTORY</c> relative
/// to the one before. Callers resolve a path to its canonical form first (no links left in it), check that, then open
/// exactly that: any link that appears meanwhile fails the open (ELOOP/ENOTDIR) instead of being followed. The last
/// component is opened by <see cref="OpenIn"/> with <c>O_NOFOLLOW</c>, and renames go through the directory's handle.
/// Linux only.
/// </summary>
public static class BeneathOpen
{
    private const ulong Resolve = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks;
    private static readonly Lazy<bool> HasOpenat2 = new(ProbeOpenat2);

    /// <summary>Set in a flow (tests) to take the checked walk even where openat2 exists.</summary>
    internal static readonly AsyncLocal<bool> WalkOnly = new();

    /// <summary>Whether this kernel answers openat2 (Linux 5.6+, and not refused by a seccomp filter).</summary>
    public static bool Openat2Available => HasOpenat2.Value;

    /// <summary>What confines file access here, as <c>ExecutionStarted</c> records it.</summary>
    public static string Mechanism => Openat2Available
        ? "openat2 beneath (RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS)"
        : "checked walk (O_NOFOLLOW|O_DIRECTORY per component)";

    /// <summary>The canonical absolute directory <paramref name="path"/> as a path handle, walked from <c>/</c> without links.</summary>
    public static SafeFileHandle OpenRoot(string path, bool useOpenat2 = true)
    {
        if (!path.StartsWith('/')) throw new BeneathException($"{path} is not an absolute path", 0);
        using var slash = Handle(Openat(AtFdCwd, "/", OPath | ODirectory | OCloexec, 0), "/");
        return OpenDirectory(slash, path.TrimStart('/'), createMissing: false, path, useOpenat2);
    }

    /// <summary>
    /// The directory at <paramref name="relative"/> beneath <paramref name="directory"/> (a path handle), creating the
    /// missing components when <paramref name="createMissing"/>. <paramref name="shown"/> names it in errors.
    /// </summary>
    public static SafeFileHandle OpenDirectory(SafeFileHandle directory, string relative, bool createMissing, string shown, bool useOpenat2 = true)
    {
        var components = Components(relative, shown);
        if (components.Length == 0) return Handle(Openat(Fd(directory), ".", OPath | ODirectory | OCloexec, 0), shown);
        if (useOpenat2 && !WalkOnly.Value && Openat2Available)
        {
            var fd = Openat2(Fd(directory), string.Join('/', components), OPath | ODirectory | OCloexec, Resolve);
            if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
            var error = LastError;
            if (!(error == ENoEnt && createMissing)) throw Failure(error, shown);
        }
        return Walk(directory, components, createMissing, shown);
    }

    /// <summary>
    /// One name in an open directory, never through a link: <c>openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC)</c>.
    /// </summary>
    public static SafeFileHandle OpenIn(SafeFileHandle directory, string name, int flags, int mode, string shown)
    {
        CheckName(name, shown);
        return Handle(Openat(Fd(directory), name, flags | ONoFollow | OCloexec, mode), shown);
    }

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> inside one open directory (atomic on one filesystem).</summary>
    public static void Rename(SafeFileHandle directory, string from, string to, string shown)
    {
        CheckName(from, shown);
        CheckName(to, shown);
        if (Renameat(Fd(directory), from, Fd(directory), to) != 0) throw Failure(LastError, shown);
    }

    /// <summary>Removes a name from an open directory; a missing name is not an error.</summary>
    public static void Unlink(SafeFileHandle directory, string name)
    {
        if (Unlinkat(Fd(directory), name, 0) != 0 && LastError != ENoEnt) throw Failure(LastError, name);
    }

    /// <summary>Type and permission bits and size of an open file.</summary>
    public static (uint Mode, long Size) Stat(SafeFileHandle file, string shown) =>
        FileNative.Stat(Fd(file)) ?? throw Failure(LastError, shown);

    public static void Sync(SafeFileHandle file, string shown)
    {
        if (Fsync(Fd(file)) != 0) throw Failure(LastError, shown);
    }

    private static SafeFileHandle Walk(SafeFileHandle directory, string[] components, bool createMissing, string shown)
    {
        var current = Handle(Openat(Fd(directory), ".", OPath | ODirectory | OCloexec, 0), shown);
        foreach (var component in components)
        {
            using var parent = current;
            var fd = Openat(Fd(parent), component, OPath | ODirectory | ONoFollow | OCloexec, 0);
            if (fd < 0 && LastError == ENoEnt && createMissing)
            {
                if (Mkdirat(Fd(parent), component, 0x1ff) != 0 && LastError != EExist) throw Failure(LastError, shown);
                fd = Openat(Fd(parent), component, OPath | ODirectory | ONoFollow | OCloexec, 0);
            }
            current = Handle(fd, shown);
        }
        return current;
    }

    private static string[] Components(string relative, string shown)
    {
        var components = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var component in components) CheckName(component, shown);
        return components;
    }

    private static void CheckName(string name, string shown)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
            throw new BeneathException($"{shown}: '{name}' is not a plain path component", 0);
    }

    private static SafeFileHandle Handle(int fd, string shown) =>
        fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Failure(LastError, shown);

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    internal static BeneathException Failure(int error, string shown) => new(error switch
    {
        ELoop => $"{shown}: a symbolic link is in the way (links are not followed here: the path changed after it was resolved, or names a link)",
        ENotDir => $"{shown}: a component is not a directory (or was replaced by a symbolic link)",
        EXDev => $"{shown}: the path leads outside the directory it must stay beneath",
        ENoEnt => $"{shown} does not exist",
        EIsDir => $"{shown} is a directory",
        _ => $"{shown}: {Marshal.GetPInvokeErrorMessage(error)}",
    }, error);

    private static bool ProbeOpenat2()
    {
        if (!OperatingSystem.IsLinux()) return false;
        var fd = Openat2(AtFdCwd, "/", OPath | ODirectory | OCloexec, ResolveNoSymlinks);
        if (fd < 0) return false;
        Close(fd);
        return true;
    }
}

/// <summary>A file could not be opened, renamed or created beneath its directory; <see cref="Errno"/> is the cause (0: refused by us).</summary>
public sealed class BeneathException(string message, int errno) : IOException(message)
{
    public int Errno { get; } = errno;
}
