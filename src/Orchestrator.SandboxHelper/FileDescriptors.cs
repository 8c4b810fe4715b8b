using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// Closes every descriptor above stderr (except the status pipe and the lifeline, <c>--status-fd</c> and
/// <c>--lifeline-fd</c>, which are close-on-exec), so nothing the parent leaked (e.g. a directory fd) reaches the program.
/// </summary>
internal static class FileDescriptors
{
    private const long SysCloseRange = 436; // the same number on every architecture
    private const string ProcFdDirectory = "/proc/self/fd";

    public static void CloseAllAboveStderr(params int?[] keep)
    {
        var kept = keep.OfType<int>().Where(fd => fd > 2).Distinct().Order().ToList();
        var first = 3u;
        var closed = true;
        foreach (var fd in kept)
        {
            closed &= CloseRange(first, (uint)fd - 1);
            first = (uint)fd + 1;
        }

        if (closed && CloseRange(first, uint.MaxValue))
        {
            return;
        }

        CloseListed(kept);
    }

    private static bool CloseRange(uint first, uint last) => first > last || Libc.Syscall(SysCloseRange, first, last, 0) == 0;

    private static void CloseListed(List<int> keep)
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
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd > 2 && !keep.Contains(fd))
            {
                Libc.Close(fd);
            }
        }
    }
}
