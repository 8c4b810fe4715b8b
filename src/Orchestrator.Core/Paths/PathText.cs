namespace Orchestrator.Core.Paths;

/// <summary>Lexical helpers over absolute '/'-separated paths.</summary>
public static class PathText
{
    public const int MaxLength = 4096;

    /// <summary>True when <paramref name="path"/> equals <paramref name="root"/> or lies below it on a segment boundary.</summary>
    /// <summary><c>~</c> and <c>~/x</c> below the home directory; every other path unchanged (<c>~user</c> included).</summary>
    /// <summary>
    /// Why <paramref name="path"/> is not a usable absolute path (empty, a NUL character, longer than
    /// <see cref="MaxLength"/>, or relative), naming it <paramref name="field"/>; null when it is one. The one check
    /// shared by the call ingress (<c>ToolInputReader</c>) and the executors, so a path the policy judges is one the
    /// executor can run on.
    /// </summary>
    public static string? AbsolutePathProblem(string? path, string field)
    {
        if (string.IsNullOrEmpty(path)) return $"{field} is empty; an absolute path is required";
        if (path.Contains('\0')) return $"{field} contains a NUL character";
        if (path.Length > MaxLength) return $"{field} is longer than {MaxLength} characters";
        if (!Path.IsPathFullyQualified(path)) return $"{field} must be an absolute path, not '{path}'";
        return null;
    }

    public static string ExpandHome(string path, string homeDirectory) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? homeDirectory + path[1..] : path;

    public static bool IsSameOrUnder(ReadOnlySpan<char> path, ReadOnlySpan<char> root, StringComparison comparison)
    {
        if (root.Length == 1 && root[0] == '/')
            return path.Length > 0 && path[0] == '/';
        if (!path.StartsWith(root, comparison))
            return false;
        return path.Length == root.Length || path[root.Length] == '/';
    }

    /// <summary>Removes empty and '.' segments and applies '..' without touching the filesystem.</summary>
    public static string NormalizeLexically(string absolutePath)
    {
        var segments = new List<string>();
        foreach (var segment in absolutePath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
                continue;
            if (segment == "..")
            {
                if (segments.Count > 0)
                    segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return "/" + string.Join('/', segments);
    }

    public static string Join(string directory, string name) =>
        directory.Length == 1 ? "/" + name : directory + "/" + name;

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>Case-insensitive comparison by default where the usual filesystems fold case (macOS, Windows).</summary>
    public static bool PlatformIgnoresCase => OperatingSystem.IsMacOS() || OperatingSystem.IsWindows();
}
