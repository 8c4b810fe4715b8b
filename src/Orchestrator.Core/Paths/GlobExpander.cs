namespace Orchestrator.Core.Paths;

/// <summary>
/// Expands a shell glob (<c>*</c>, <c>?</c>, <c>[…]</c>) against the filesystem the way bash does by default: segment
/// by segment, a wildcard never matches a leading dot unless the segment starts with one, <c>.</c> and <c>..</c> only
/// literally. Used so Read/Edit rules see the files a glob will name (<c>cat .e*</c> reads <c>.env</c>).
/// </summary>
public static class GlobExpander
{
    /// <summary>The paths the glob names (absolute, sorted), or null when there are more than <paramref name="limit"/>.
    /// An empty list means no match: bash then passes the word through as written.</summary>
    public static IReadOnlyList<string>? Expand(string pattern, string workingDirectory, int limit = 256)
    {
        var absolute = pattern.StartsWith('/');
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { absolute ? "/" : workingDirectory };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            if (segment.IndexOfAny(['*', '?', '[']) < 0 || !GlobSegment.TryCompile(segment, PathText.PlatformIgnoresCase, out var glob, out _))
            {
                foreach (var directory in current) next.Add(PathText.Join(directory, segment));
            }
            else
            {
                var dotted = segment.StartsWith('.');
                foreach (var directory in current)
                {
                    IEnumerable<string> entries;
                    try { entries = Directory.EnumerateFileSystemEntries(directory); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { continue; }
                    foreach (var entry in entries)
                    {
                        var name = Path.GetFileName(entry);
                        if (name is "." or ".." || (name.StartsWith('.') && !dotted) || !glob.Matches(name)) continue;
                        next.Add(entry);
                        if (next.Count > limit) return null;
                    }
                }
            }
            current = next;
            if (current.Count == 0) return [];
        }
        var found = current.Where(Path.Exists).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return found;
    }
}
