namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Landlock can only allow, and a right on a directory covers everything beneath it. To keep protected paths in a
/// writable root read-only, the root itself gets no write right; each child that is not protected gets full rights
/// (directories) or file rights (files); a directory that holds a protected path is descended into instead. The
/// price: nothing new can be created directly in such a directory under the built-in layer alone (bubblewrap,
/// when installed, protects by mounts instead and has no such limit).
/// </summary>
public static class WritableGrants
{
    public sealed record Grant(string Path, bool IsDirectory);

    public static IReadOnlyList<Grant> ForRoots(IEnumerable<string> roots, IReadOnlyCollection<string> protectedPaths)
    {
        var grants = new List<Grant>();
        foreach (var root in roots) Descend(root, protectedPaths, grants, depth: 0);
        return grants;
    }

    private static void Descend(string directory, IReadOnlyCollection<string> protectedPaths, List<Grant> grants, int depth)
    {
        var holdsProtected = protectedPaths.Any(p => IsUnder(p, directory));
        if (!holdsProtected || depth > 8)
        {
            grants.Add(new Grant(directory, true));
            return;
        }
        IEnumerable<string> children;
        try { children = Directory.EnumerateFileSystemEntries(directory).ToArray(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var child in children)
        {
            if (protectedPaths.Contains(child, StringComparer.Ordinal)) continue;
            var info = new FileInfo(child);
            if (info.LinkTarget is not null) continue; // a link is judged where it points; never grant through it
            if ((info.Attributes & FileAttributes.Directory) != 0) Descend(child, protectedPaths, grants, depth + 1);
            else grants.Add(new Grant(child, false));
        }
    }

    private static bool IsUnder(string path, string directory) =>
        path.StartsWith(directory, StringComparison.Ordinal) && path.Length > directory.Length && path[directory.Length] == '/';
}
