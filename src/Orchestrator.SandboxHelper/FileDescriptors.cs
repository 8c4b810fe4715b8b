using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Closes every descriptor above stderr, so nothing the parent leaked (e.g. a directory fd) reaches the program.</summary>
internal static class FileDescriptors
{
    private const long SysCloseRange = 436; // the same number on every architecture
    private const string ProcFdDirectory = "/proc/self/fd";

    public static void CloseAllAboveStderr()
    {
        if (Libc.Syscall(SysCloseRange, 3, uint.MaxValue, 0) == 0)
        {
            return;
        }

        CloseListed();
    }

    private static void CloseListed()
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(ProcFdDirectory);
        }
        catch (IOException exception)
        {
            throw new HelperException($"cannot list {ProcFdDirectory} to close inherited descriptors: {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new HelperException($"cannot list {ProcFdDirectory} to close inherited descriptors: {exception.Message}");
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2)
            {
                Libc.Close(fd);
            }
        }
    }
}
