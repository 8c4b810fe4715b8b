using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security;

namespace Orchestrator.Core.Paths;

/// <summary>
/// Paths that stay read-only even inside writable roots: <see cref="ProtectedNames"/> (plus configured names) as any
/// component below a root, the git directory a root's <c>.git</c> file or link points at, and configured absolute
/// paths. Matching is lexical on canonical paths, so a protected path is protected before it exists, and ignores
/// case because macOS filesystems do.
/// </summary>
public sealed class ProtectedPathSet
{
    private const StringComparison Comparison = StringComparison.OrdinalIgnoreCase;

    private readonly FrozenSet<string> _names;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly ImmutableArray<ProtectedLocation> _locationsNearRoots;

    private ProtectedPathSet(ImmutableArray<string> roots, FrozenSet<string> names, ImmutableArray<ProtectedLocation> locations)
    {
        WritableRoots = roots;
        _names = names;
        _nameLookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        Locations = locations;
        // A path inside a root can only be in a location that lies inside a root or holds one.
        _locationsNearRoots = [.. locations.Where(l => roots.Any(r => PathText.IsSameOrUnder(l.Path, r, Comparison) || PathText.IsSameOrUnder(r, l.Path, Comparison)))];
    }

    public ImmutableArray<string> WritableRoots { get; }

    public IReadOnlySet<string> Names => _names;

    public ImmutableArray<ProtectedLocation> Locations { get; }

    /// <param name="writableRoots">Canonical absolute roots; names are only matched below these.</param>
    /// <param name="extraNames">Names protected in addition to <see cref="ProtectedNames.Defaults"/>.</param>
    /// <param name="extraAbsolutePaths">Absolute paths protected with everything beneath them.</param>
    /// <exception cref="ArgumentException">A name contains '/' or NUL, or an extra path is not absolute.</exception>
    public static ProtectedPathSet Create(
        IEnumerable<string> writableRoots,
        IEnumerable<string>? extraNames = null,
        IEnumerable<string>? extraAbsolutePaths = null)
    {
        var roots = writableRoots.Select(root => RequireAbsolute(root, "writable root")).Distinct(StringComparer.Ordinal).ToImmutableArray();

        var names = ProtectedNames.Defaults.ToList();
        foreach (var name in extraNames ?? [])
        {
            if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\0') || name is "." or "..")
                throw new ArgumentException($"invalid protected name '{name}'", nameof(extraNames));
            names.Add(name);
        }

        var locations = new List<ProtectedLocation>();
        foreach (var root in roots)
            AddGitDirectories(root, locations);
        foreach (var path in extraAbsolutePaths ?? [])
        {
            RequireAbsolute(path, "protected path");
            AddBothForms(path, "configured protected path", locations);
        }

        var distinct = locations.DistinctBy(l => l.Path, StringComparer.OrdinalIgnoreCase).ToImmutableArray();
        return new ProtectedPathSet(roots, names.ToFrozenSet(StringComparer.OrdinalIgnoreCase), distinct);
    }

    /// <summary>Whether writing <paramref name="canonicalPath"/> (an absolute canonical path) must be refused.</summary>
    public bool IsProtected(string canonicalPath, out string reason) => IsProtected(canonicalPath, out reason, out _);

    /// <param name="protectedPath">The protected location the path lies in: the configured path, or the writable-root
    /// path up to and including the protected name (a rule must name at least this to override the protection).</param>
    public bool IsProtected(string canonicalPath, out string reason, out string protectedPath)
    {
        if (Find(_locationsNearRoots, canonicalPath, out reason, out protectedPath) || (!InsideRoots(canonicalPath) && IsProtectedLocation(canonicalPath, out reason, out protectedPath)))
            return true;

        foreach (var root in WritableRoots)
        {
            if (!PathText.IsSameOrUnder(canonicalPath, root, Comparison))
                continue;
            var offset = root.Length == 1 ? 0 : root.Length;
            var rest = canonicalPath.AsSpan(offset);
            foreach (var range in rest.Split('/'))
            {
                var segment = rest[range];
                if (segment.Length > 0 && IsProtectedName(segment))
                {
                    reason = $"'{segment}' is a protected name inside writable root {root}";
                    protectedPath = canonicalPath[..(offset + range.End.GetOffset(rest.Length))];
                    return true;
                }
            }
        }

        reason = "";
        protectedPath = "";
        return false;
    }

    /// <summary>Whether the path lies in one of the configured or git locations (not a protected name in a root).</summary>
    public bool IsProtectedLocation(string canonicalPath, out string reason, out string protectedPath) =>
        Find(Locations, canonicalPath, out reason, out protectedPath);

    private bool InsideRoots(string path)
    {
        foreach (var root in WritableRoots)
            if (PathText.IsSameOrUnder(path, root, Comparison)) return true;
        return false;
    }

    private static bool Find(ImmutableArray<ProtectedLocation> locations, string canonicalPath, out string reason, out string protectedPath)
    {
        foreach (var location in locations)
        {
            if (PathText.IsSameOrUnder(canonicalPath, location.Path, Comparison))
            {
                reason = $"{location.Path} is protected ({location.Why})";
                protectedPath = location.Path;
                return true;
            }
        }
        reason = "";
        protectedPath = "";
        return false;
    }

    private bool IsProtectedName(ReadOnlySpan<char> segment)
    {
        if (_nameLookup.Contains(segment))
            return true;
        if (!segment.ContainsAnyInRange((char)0x80, char.MaxValue))
            return false;
        // HFS+ ignores some invisible code points in names, so ".g\u200Cit" is ".git" there (git's is_hfs_dotgit).
        Span<char> visible = stackalloc char[segment.Length];
        var length = 0;
        foreach (var c in segment)
        {
            if (!IsHfsIgnorable(c))
                visible[length++] = c;
        }
        return length != segment.Length && _nameLookup.Contains(visible[..length]);
    }

    private static bool IsHfsIgnorable(char c) =>
        c is >= '\u200C' and <= '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u206A' and <= '\u206F' or '\uFEFF';

    /// <summary>
    /// A root's <c>.git</c> may be a file (<c>gitdir: X</c>, for worktrees and submodules) or a link; either way the
    /// real git directory, and the common directory a worktree shares, must be protected wherever it lives.
    /// </summary>
    private static void AddGitDirectories(string root, List<ProtectedLocation> locations)
    {
        var dotGit = PathText.Join(root, ".git");
        var resolved = PathCanonicalizer.Canonicalize(dotGit, root, "/");
        if (resolved.IsResolved && resolved.FullPath != dotGit)
            locations.Add(new ProtectedLocation(resolved.FullPath, $".git of {root} resolves here"));
        if (!resolved.IsResolved || !resolved.Exists || !File.Exists(resolved.FullPath))
            return;

        if (ReadPointer(resolved.FullPath, "gitdir:") is not { } gitDir)
            return;
        var why = $"git directory of {root}";
        AddBothForms(gitDir, why, locations, relativeTo: root);

        var canonicalGitDir = PathCanonicalizer.Canonicalize(gitDir, root, "/");
        if (!canonicalGitDir.IsResolved || !canonicalGitDir.Exists)
            return;
        var commonDirFile = PathText.Join(canonicalGitDir.FullPath, "commondir");
        if (File.Exists(commonDirFile) && ReadPointer(commonDirFile, prefix: null) is { } commonDir)
            AddBothForms(commonDir, $"common git directory of {root}", locations, relativeTo: canonicalGitDir.FullPath);
    }

    private static void AddBothForms(string path, string why, List<ProtectedLocation> locations, string? relativeTo = null)
    {
        var absolute = path.StartsWith('/') ? path : PathText.Join(relativeTo ?? "/", path);
        locations.Add(new ProtectedLocation(PathText.NormalizeLexically(absolute), why));
        var canonical = PathCanonicalizer.Canonicalize(absolute, "/", "/");
        if (canonical.IsResolved)
            locations.Add(new ProtectedLocation(canonical.FullPath, why));
    }

    /// <summary>Reads the first line of a small pointer file, optionally requiring and stripping a prefix.</summary>
    private static string? ReadPointer(string file, string? prefix)
    {
        try
        {
            using var reader = new StreamReader(file);
            var buffer = new char[PathText.MaxLength + 64];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            var text = new string(buffer, 0, read);
            var line = text.Split('\n', 2)[0].Trim();
            if (prefix is not null)
            {
                if (!line.StartsWith(prefix, StringComparison.Ordinal))
                    return null;
                line = line[prefix.Length..].Trim();
            }
            return line.Length == 0 || line.Contains('\0') ? null : line;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException)
        {
            return null;
        }
    }

    private static string RequireAbsolute(string path, string what)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('\0'))
            throw new ArgumentException($"{what} must be an absolute path: '{path}'");
        return path;
    }
}
