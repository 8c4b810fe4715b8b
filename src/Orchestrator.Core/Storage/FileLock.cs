using System.Runtime.InteropServices;

namespace Orchestrator.Core.Storage;

/// <summary>
/// An exclusive advisory lock (<c>flock</c>) on a lock file (created 0600), held until disposed: processes that update
/// the same file (the CLI and the server both write the token file) take it around read-modify-write. Blocks until
/// granted. The file is opened with open(2) directly: .NET's own FileStream locking would refuse a second opener.
/// </summary>
public sealed partial class FileLock : IDisposable
{
    private const int LockExclusive = 2;
    private const int OpenReadWrite = 2, OpenCreate = 0x40, OpenCloseOnExec = 0x80000;
    private const int Interrupted = 4;
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    public static FileLock Acquire(string lockPath)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("file locks are implemented for Unix only");
        var fd = Open(lockPath, OpenReadWrite | OpenCreate | OpenCloseOnExec, 0x180);
        if (fd < 0) throw new IOException($"cannot open the lock file {lockPath} (errno {Marshal.GetLastPInvokeError()})");
        while (Flock(fd, LockExclusive) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted) continue;
            Close(fd);
            throw new IOException($"cannot lock {lockPath} (errno {errno})");
        }
        return new FileLock(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
