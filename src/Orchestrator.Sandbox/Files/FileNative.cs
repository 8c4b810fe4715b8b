using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Files;

/// <summary>The libc calls of <see cref="BeneathOpen"/>: openat2 (by syscall number), openat, mkdirat, renameat, unlinkat, fstat, fsync.</summary>
internal static unsafe partial class FileNative
{
    public const int AtFdCwd = -100;
    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONonBlock = 0x800;
    public const int OCloexec = 0x80000;
    public const int OPath = 0x200000;
    /// <summary>O_DIRECTORY and O_NOFOLLOW are the two open flags whose values differ between x86-64 and arm64.</summary>
    public static readonly int ODirectory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
    public static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;

    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int EExist = 17;
    public const int EXDev = 18;
    public const int ENotDir = 20;
    public const int EIsDir = 21;
    public const int ENoSys = 38;
    public const int ELoop = 40;
    public const int EPerm = 1;

    public const uint SIfMt = 0xF000;
    public const uint SIfReg = 0x8000;
    public const uint SIfDir = 0x4000;

    /// <summary>openat2's number is the same on every architecture (437).</summary>
    private const long SysOpenat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long dirfd, byte* path, OpenHow* how, long size);

    public static int Openat2(int dirfd, string path, int flags, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = 0, Resolve = resolve };
        var bytes = Utf8(path);
        fixed (byte* p = bytes)
            return (int)Syscall(SysOpenat2, dirfd, p, &how, sizeof(OpenHow));
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Openat(int dirfd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkdirat(int dirfd, string path, int mode);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Renameat(int olddirfd, string oldpath, int newdirfd, string newpath);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlinkat(int dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int Fstat(int fd, byte* stat);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>The file type and permission bits and the size of an open file (struct stat's layout per architecture).</summary>
    public static (uint Mode, long Size)? Stat(int fd)
    {
        var buffer = stackalloc byte[256];
        if (Fstat(fd, buffer) != 0) return null;
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;
        return (*(uint*)(buffer + modeOffset), *(long*)(buffer + 48));
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
