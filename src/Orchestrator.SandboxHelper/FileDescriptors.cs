using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// Closes every descriptor above stderr (except the status pipe, <c>--status-fd</c>), so nothing the parent leaked
/// (e.g. a directory fd) reaches the program.
/// </summary>
internal static class FileDescriptors
{
    private const long SysCloseRange = 436; // the same number on every architecture
    private const string ProcFdDirectory = "/proc/self/fd";

    public static void CloseAllAboveStderr(int? keep)
    {
        if (keep is { } kept && kept > 2)
        {
            if (CloseRange(3, (uint)kept - 1) && CloseRange((uint)kept + 1, uint.MaxValue))
            {
                return;
            }
        }
        else if (CloseRange(3, uint.MaxValue))
        {
            return;
        }

        CloseListed(keep);
    }

    private static bool CloseRange(uint first, uint last) => first > last || Libc.Syscall(SysCloseRange, first, last, 0) == 0;

    private static void CloseListed(int? keep)
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
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2 && fd != keep)
            {
                Libc.Close(fd);
            }
        }
    }
}
