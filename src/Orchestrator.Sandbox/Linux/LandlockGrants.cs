using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Landlock rules for the fallback without a mount namespace (unprivileged user namespaces disabled). Landlock can only
/// allow, and a right on a directory covers everything beneath it, so exceptions are made by descending: a directory
/// holding a hidden path gets no read right, each child that is not hidden gets one; a writable directory holding a
/// protected or hidden path gets no write right, each other child gets one. The price: what is created later directly
/// in such a directory cannot be read (read side) or is not writable (write side) — the README says so — and a
/// directory that only lists names (read-dir) keeps the names of a hidden directory's entries visible.
/// </summary>
public static class LandlockGrants
{
    public sealed record Grant(string Path, bool IsDirectory, bool Writable, bool ListOnly = false);

    /// <param name="readRoots">Where reading is allowed (the top-level directories except /dev).</param>
    /// <param name="exposedPaths">Paths inside hidden directories that are readable again.</param>
    public static IReadOnlyList<Grant> For(IEnumerable<string> readRoots, IEnumerable<string> writableRoots,
        IReadOnlyCollection<string> protectedPaths, IReadOnlyCollection<string> hiddenPaths, IEnumerable<string>? exposedPaths = null)
    {
        var grants = new List<Grant>();
        foreach (var root in readRoots) Descend(root, hiddenPaths, writable: false, grants);
        foreach (var root in writableRoots) Descend(root, [.. protectedPaths, .. hiddenPaths], writable: true, grants);
        foreach (var path in exposedPaths ?? [])
            if (Directory.Exists(path) || File.Exists(path)) grants.Add(new Grant(path, Directory.Exists(path), Writable: false));
        return grants;
    }

    private static void Descend(string path, IReadOnlyCollection<string> exceptions, bool writable, List<Grant> grants)
    {
        if (exceptions.Contains(path)) return;
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return; // a link is judged where it points; never grant through it
        var isDirectory = (info.Attributes & FileAttributes.Directory) != 0 && Directory.Exists(path);
        if (!isDirectory || !exceptions.Any(e => PathText.IsSameOrUnder(e, path, StringComparison.Ordinal)))
        {
            if (info.Exists || isDirectory) grants.Add(new Grant(path, isDirectory, writable));
            return;
        }
        if (!writable) grants.Add(new Grant(path, true, false, ListOnly: true));
        IEnumerable<string> children;
        try { children = Directory.EnumerateFileSystemEntries(path).ToArray(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children) Descend(child, exceptions, writable, grants);
    }
}
