using System.Collections.Immutable;

namespace Orchestrator.Core.Paths;

/// <summary>
/// Decides whether a raw path from a tool call may be written or read. Paths are canonicalised physically on every
/// check (through the <see cref="IFileView"/> given, the disk by default), so a symlink inside a root that points
/// elsewhere is judged by where it points.
/// </summary>
/// <remarks>
/// Root containment compares case-sensitively: on a case-folding filesystem a differently cased spelling of a root is
/// refused rather than allowed. Hard links cannot be told apart from ordinary files and are not considered.
/// </remarks>
public sealed class PathAccessPolicy
{
    /// <summary>Always writable: discarding output or writing to the caller's own streams touches no file.</summary>
    public static ImmutableArray<string> DeviceSinks { get; } =
        ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2"];

    private PathAccessPolicy(ImmutableArray<string> writableRoots, ProtectedPathSet protectedPaths,
        string workingDirectory, string homeDirectory)
    {
        WritableRoots = writableRoots;
        ProtectedPaths = protectedPaths;
        WorkingDirectory = workingDirectory;
        HomeDirectory = homeDirectory;
    }

    /// <summary>Canonical writable roots; roots that could not be resolved are dropped (and so not writable).</summary>
    public ImmutableArray<string> WritableRoots { get; }

    public ProtectedPathSet ProtectedPaths { get; }

    private IReadOnlyList<string> WritableRootList => _writableRootList ??= WritableRoots.ToArray();
    private string[]? _writableRootList;

    public string WorkingDirectory { get; }

    public string HomeDirectory { get; }

    /// <param name="writableRoots">Raw roots; relative ones resolve against <paramref name="workingDirectory"/>.</param>
    /// <param name="extraProtectedPaths">Absolute paths (or <c>~/…</c>) that stay read-only with their contents.</param>
    /// <exception cref="ArgumentException">An extra protected name or path is malformed.</exception>
    public static PathAccessPolicy Create(
        IEnumerable<string> writableRoots,
        string workingDirectory,
        string homeDirectory,
        IEnumerable<string>? extraProtectedNames = null,
        IEnumerable<string>? extraProtectedPaths = null)
    {
        var roots = CanonicalizeRoots(writableRoots, workingDirectory, homeDirectory);
        var protectedAbsolute = extraProtectedPaths?.Select(path => PathText.ExpandHome(path, homeDirectory));
        var protectedPaths = ProtectedPathSet.Create(roots, extraProtectedNames, protectedAbsolute);
        return new PathAccessPolicy(roots, protectedPaths, workingDirectory, homeDirectory);
    }

    /// <summary>Canonicalises roots for use with this policy or <see cref="CheckRead"/>; unresolvable roots are dropped.</summary>
    public static ImmutableArray<string> CanonicalizeRoots(IEnumerable<string> roots, string workingDirectory, string homeDirectory) =>
        roots.Select(root => PathCanonicalizer.Canonicalize(root, workingDirectory, homeDirectory))
            .Where(canonical => canonical.IsResolved)
            .Select(canonical => canonical.FullPath)
            .Distinct(StringComparer.Ordinal)
            .ToImmutableArray();

    public PathCheckResult CheckWrite(string rawPath) => CheckWrite(rawPath, WorkingDirectory);

    /// <summary>Resolves a path exactly as <see cref="CheckWrite(string, string, IFileView?)"/> and <see cref="CheckRead(string, string, IReadOnlyList{string}, IFileView?)"/> do.</summary>
    public CanonicalPath Canonicalize(string rawPath, string workingDirectory, IFileView? files = null)
    {
        // A recording view's answers never change within one evaluation, so neither does a resolution built on them:
        // the path a call names is walked once, when its facts are gathered, not again when it is judged.
        var recording = files as RecordingFileView;
        if (recording?.Resolved(rawPath, workingDirectory) is { } known) return known;
        var resolved = PathCanonicalizer.Canonicalize(rawPath, workingDirectory, HomeDirectory, WritableRootList, files);
        recording?.NoteResolved(rawPath, workingDirectory, resolved);
        return resolved;
    }

    /// <summary>As <see cref="CheckWrite(string)"/>, with relative paths resolved against another directory.</summary>
    /// <param name="files">What the path's resolution may observe; the disk when null.</param>
    public PathCheckResult CheckWrite(string rawPath, string workingDirectory, IFileView? files = null)
    {
        if (IsDeviceSink(rawPath))
            return new PathCheckResult(PathCheckOutcome.Allowed, rawPath, $"{rawPath} is a device sink");

        var canonical = Canonicalize(rawPath, workingDirectory, files);
        if (canonical.Problem is { } problem)
            return new PathCheckResult(PathCheckOutcome.Unresolvable, rawPath ?? "", problem);

        var path = canonical.FullPath;
        if (FindRoot(path, WritableRoots) is not { } root)
        {
            // Configured locations (a home's shell startup files, our own settings) stay protected in every mode.
            if (ProtectedPaths.IsProtectedLocation(path, out var why, out var location))
                return new PathCheckResult(PathCheckOutcome.Protected, path, why) { ProtectedPath = location };
            return new PathCheckResult(PathCheckOutcome.OutsideRoots, path, $"{path} is outside the writable roots");
        }
        if (ProtectedPaths.IsProtected(path, out var reason, out var protectedPath))
            return new PathCheckResult(PathCheckOutcome.Protected, path, reason) { ProtectedPath = protectedPath };
        return new PathCheckResult(PathCheckOutcome.Allowed, path, $"{path} is inside writable root {root}");
    }

    /// <summary>
    /// Reads are allowed inside <paramref name="readableRoots"/> (which must already be canonical, see
    /// <see cref="CanonicalizeRoots"/>) or inside the writable roots; protected paths may be read.
    /// </summary>
    public PathCheckResult CheckRead(string rawPath, IReadOnlyList<string> readableRoots) =>
        CheckRead(rawPath, WorkingDirectory, readableRoots);

    /// <summary>As <see cref="CheckRead(string, IReadOnlyList{string})"/>, with relative paths resolved against another directory.</summary>
    /// <param name="files">What the path's resolution may observe; the disk when null.</param>
    public PathCheckResult CheckRead(string rawPath, string workingDirectory, IReadOnlyList<string> readableRoots, IFileView? files = null)
    {
        var canonical = Canonicalize(rawPath, workingDirectory, files);
        if (canonical.Problem is { } problem)
            return new PathCheckResult(PathCheckOutcome.Unresolvable, rawPath ?? "", problem);

        var path = canonical.FullPath;
        if ((FindRoot(path, readableRoots) ?? FindRoot(path, WritableRoots)) is { } root)
            return new PathCheckResult(PathCheckOutcome.Allowed, path, $"{path} is inside readable root {root}");
        return new PathCheckResult(PathCheckOutcome.OutsideRoots, path, $"{path} is outside the readable roots");
    }

    public static bool IsDeviceSink(string? rawPath) =>
        rawPath is not null && DeviceSinks.Contains(rawPath, StringComparer.Ordinal);

    private static string? FindRoot(string path, ImmutableArray<string> roots)
    {
        foreach (var root in roots)
        {
            if (PathText.IsSameOrUnder(path, root, StringComparison.Ordinal))
                return root;
        }
        return null;
    }

    private static string? FindRoot(string path, IReadOnlyList<string> roots)
    {
        for (var i = 0; i < roots.Count; i++)
        {
            if (PathText.IsSameOrUnder(path, roots[i], StringComparison.Ordinal))
                return roots[i];
        }
        return null;
    }
}
