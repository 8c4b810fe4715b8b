using System.Security;

namespace Orchestrator.Core.Paths;

/// <summary>
/// Resolves a path the way the kernel would when opening it: component by component, following every symlink
/// (including dangling ones) before applying the next component. Nothing is cached because the filesystem can
/// change between calls; every question about the filesystem goes through an <see cref="IFileView"/>.
/// </summary>
public static class PathCanonicalizer
{
    /// <summary>Linux's MAXSYMLINKS.</summary>
    public const int MaxSymlinkExpansions = 40;

    /// <param name="canonicalPrefixes">Directories already known to be canonical (e.g. writable roots canonicalised when
    /// the policy was built): a path under one is walked from there, sparing the system calls for its prefix.</param>
    /// <param name="files">What the walk asks about each component; the disk when null.</param>
    /// <exception cref="FactNotRecordedException">A recorded view cannot answer a question the walk asks.</exception>
    public static CanonicalPath Canonicalize(string path, string workingDirectory, string homeDirectory,
        IReadOnlyList<string>? canonicalPrefixes = null, IFileView? files = null)
    {
        try
        {
            return CanonicalizeCore(path, workingDirectory, homeDirectory, canonicalPrefixes, files ?? LiveFileView.Instance);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException
                                      or ArgumentException or NotSupportedException)
        {
            return CanonicalPath.Failed(path ?? "", $"cannot resolve path: {e.Message}");
        }
    }

    private static CanonicalPath CanonicalizeCore(string path, string workingDirectory, string homeDirectory,
        IReadOnlyList<string>? canonicalPrefixes, IFileView files)
    {
        if (InvalidPathProblem(path, "path") is { } problem)
            return CanonicalPath.Failed(path ?? "", problem);

        var expanded = path;
        if (path[0] == '~')
        {
            if (path.Length > 1 && path[1] != '/')
                return CanonicalPath.Failed(path, "unsupported ~user form");
            if (InvalidDirectoryProblem(homeDirectory, "home directory") is { } homeProblem)
                return CanonicalPath.Failed(path, homeProblem);
            expanded = homeDirectory + path[1..];
            if (expanded.Length > PathText.MaxLength)
                return CanonicalPath.Failed(path, $"path longer than {PathText.MaxLength} characters");
        }

        var walk = new Walk(canonicalPrefixes, files);
        if (expanded[0] != '/')
        {
            if (InvalidDirectoryProblem(workingDirectory, "working directory") is { } wdProblem)
                return CanonicalPath.Failed(path, wdProblem);
            if (walk.Resolve(workingDirectory) is { } wdWalkProblem)
                return CanonicalPath.Failed(path, $"working directory: {wdWalkProblem}");
        }

        if (walk.Resolve(expanded) is { } walkProblem)
            return CanonicalPath.Failed(path, walkProblem);
        return new CanonicalPath(walk.Resolved, walk.MissingDepth == 0, walk.TraversedSymlink, null);
    }

    private static string? InvalidPathProblem(string? path, string what)
    {
        if (string.IsNullOrEmpty(path))
            return $"empty {what}";
        if (path.Contains('\0'))
            return $"{what} contains a NUL character";
        if (path.Length > PathText.MaxLength)
            return $"{what} longer than {PathText.MaxLength} characters";
        return null;
    }

    private static string? InvalidDirectoryProblem(string? directory, string what)
    {
        if (InvalidPathProblem(directory, what) is { } problem)
            return problem;
        return directory![0] == '/' ? null : $"{what} is not absolute";
    }

    /// <summary>State of one resolution: the physical prefix so far and how much of its tail is known missing.</summary>
    private sealed class Walk
    {
        private readonly Stack<string> _pending = new();
        private readonly IReadOnlyList<string>? _canonicalPrefixes;
        private readonly IFileView _files;
        private int _expansions;

        public Walk(IReadOnlyList<string>? canonicalPrefixes, IFileView files)
        {
            _canonicalPrefixes = canonicalPrefixes;
            _files = files;
        }

        public string Resolved { get; private set; } = "/";

        /// <summary>How many trailing components of <see cref="Resolved"/> do not exist; those are appended lexically.</summary>
        public int MissingDepth { get; private set; }

        public bool TraversedSymlink { get; private set; }

        public string? Resolve(string path)
        {
            if (LongestCanonicalPrefix(path) is { } prefix)
            {
                // Every component of a canonical prefix is a real directory, so walking resumes below it.
                _files.AssumeDirectory(prefix);
                Resolved = prefix;
                MissingDepth = 0;
                if (path.Length > prefix.Length + 1) Push(path[(prefix.Length + 1)..]);
            }
            else
                Push(path);
            while (_pending.TryPop(out var component))
            {
                if (component == ".")
                    continue;
                if (component == "..")
                {
                    Resolved = PathText.Parent(Resolved);
                    // Popping out of the missing tail puts us back on existing ground, where links matter again.
                    if (MissingDepth > 0)
                        MissingDepth--;
                    continue;
                }

                var candidate = PathText.Join(Resolved, component);
                if (MissingDepth > 0)
                {
                    Resolved = candidate;
                    MissingDepth++;
                    continue;
                }

                var (kind, target) = _files.Probe(candidate);
                if (kind == FileEntryKind.Missing)
                {
                    Resolved = candidate;
                    MissingDepth = 1;
                    continue;
                }

                if (kind == FileEntryKind.Other || target is null)
                {
                    Resolved = candidate;
                    continue;
                }

                if (IsProcMagicLink(candidate))
                    return $"refusing to follow /proc magic link {candidate}";
                if (++_expansions > MaxSymlinkExpansions)
                    return "too many levels of symbolic links";
                if (target.Length == 0 || target.Contains('\0'))
                    return $"unusable symbolic link target at {candidate}";
                TraversedSymlink = true;
                Push(target);
            }
            return null;
        }

        private string? LongestCanonicalPrefix(string path)
        {
            if (_canonicalPrefixes is null || path.Length == 0 || path[0] != '/') return null;
            string? best = null;
            foreach (var prefix in _canonicalPrefixes)
            {
                if (prefix.Length <= 1 || (best is not null && prefix.Length <= best.Length)) continue;
                if (path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/'))
                    best = prefix;
            }
            return best;
        }

        /// <summary>Queues a path's components ahead of what is pending; an absolute path restarts at the root.</summary>
        private void Push(string path)
        {
            if (path[0] == '/')
            {
                Resolved = "/";
                MissingDepth = 0;
            }

            var end = path.Length;
            for (var i = path.Length - 1; i >= -1; i--)
            {
                if (i >= 0 && path[i] != '/')
                    continue;
                if (end - i > 1)
                    _pending.Push(path.Substring(i + 1, end - i - 1));
                end = i;
            }
        }

        /// <summary>
        /// Links below /proc/&lt;pid&gt;/ (root, cwd, exe, fd/N, …) are not real symlinks: the kernel jumps straight to
        /// the object, escaping mount namespaces and chroots, so their text cannot be trusted.
        /// </summary>
        private static bool IsProcMagicLink(string candidate)
        {
            if (!candidate.StartsWith("/proc/", StringComparison.Ordinal))
                return false;
            var secondSlash = candidate.IndexOf('/', "/proc/".Length);
            return secondSlash > 0;
        }
    }
}
