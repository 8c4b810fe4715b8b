namespace Orchestrator.Core.Paths;

/// <summary>
/// Expands a shell glob (<c>*</c>, <c>?</c>, <c>[…]</c>) against the filesystem the way bash does by default: segment
/// by segment, a wildcard never matches a leading dot unless the segment starts with one, <c>.</c> and <c>..</c> only
/// literally. Used so Read/Edit rules see the files a glob will name (<c>cat .e*</c> reads <c>.env</c>).
/// </summary>
public static class GlobExpander
{
    public const int DefaultLimit = 256;

    /// <summary>The paths the glob names (absolute, sorted), or null when there are more than <paramref name="limit"/>.
    /// An empty list means no match: bash then passes the word through as written.</summary>
    /// <param name="files">Where directories are listed and matches checked; the disk when null.</param>
    public static IReadOnlyList<string>? Expand(string pattern, string workingDirectory, int limit = DefaultLimit, IFileView? files = null)
    {
        files ??= LiveFileView.Instance;
        var absolute = pattern.StartsWith('/');
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { absolute ? "/" : workingDirectory };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            if (!IsWildcard(segment, out _))
            {
                foreach (var directory in current) next.Add(PathText.Join(directory, segment));
            }
            else
            {
                foreach (var directory in current)
                {
                    foreach (var name in files.Matches(directory, segment, limit))
                    {
                        next.Add(PathText.Join(directory, name));
                        if (next.Count > limit) return null;
                    }
                }
            }
            current = next;
            if (current.Count == 0) return [];
        }
        // A match names a file only if it exists once links are followed (a dangling link names nothing).
        return current.Where(path => PathCanonicalizer.Canonicalize(path, "/", "/", files: files) is { IsResolved: true, Exists: true })
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The names in <paramref name="directory"/> on disk that the segment matches (see <see cref="IFileView.Matches"/>).</summary>
    public static IReadOnlyList<string> MatchingNames(string directory, string segment, int limit)
    {
        if (!IsWildcard(segment, out var glob)) return [];
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return []; }
        var dotted = segment.StartsWith('.');
        var names = new List<string>();
        try
        {
            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                if (name is "." or ".." || (name.StartsWith('.') && !dotted) || !glob.Matches(name)) continue;
                names.Add(name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
        names.Sort(StringComparer.Ordinal);
        if (names.Count > limit + 1) names.RemoveRange(limit + 1, names.Count - limit - 1);
        return names;
    }

    private static bool IsWildcard(string segment, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GlobSegment? glob)
    {
        glob = null;
        return segment.IndexOfAny(['*', '?', '[']) >= 0 && GlobSegment.TryCompile(segment, PathText.PlatformIgnoresCase, out glob, out _);
    }
}
