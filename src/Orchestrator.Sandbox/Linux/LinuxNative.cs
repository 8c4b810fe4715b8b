using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Linux;

/// <summary>The libc calls the Linux sandbox makes from .NET (inotify, pipes, descriptor flags).</summary>
internal static unsafe partial class LinuxNative
{
    public const int ONonBlock = 0x800;
    public const int OCloexec = 0x80000;
    public const int FGetFd = 1;
    public const int FSetFd = 2;
    public const int FdCloexec = 1;
    public const int EAgain = 11;
    public const int EIntr = 4;
    public const short PollIn = 1;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int InotifyRemoveWatch(int fd, int watch);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int Getpid();

    public static int LastError => Marshal.GetLastPInvokeError();

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
