using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Process;

internal static partial class NativeDescriptors
{
    private const int FGetFd = 1;
    private const int FSetFd = 2;
    private const int FdCloexec = 1;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    public static void SetCloseOnExec(int fd, bool closeOnExec)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("inherited descriptors are a Unix feature");
        var flags = Fcntl(fd, FGetFd, 0);
        if (flags < 0 || Fcntl(fd, FSetFd, closeOnExec ? flags | FdCloexec : flags & ~FdCloexec) != 0)
            throw new IOException($"fcntl on descriptor {fd} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }
}
