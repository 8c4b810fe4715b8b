using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Claude Code's Glob: the files below <c>path</c> (absolute, default the working directory) whose path relative to it
/// matches <c>pattern</c> (<see cref="ToolGlob"/>; a fixed leading part of the pattern moves the base, as the policy
/// judged it), newest modification first, at most <see cref="ToolLimits.MaxGlobResults"/>. Symlinked directories are never entered;
/// a symlinked file is listed only when its target lies beneath the base; <c>.git</c> directories are skipped, and so
/// is whatever <c>include</c> refuses (the policy's hidden paths). The walk itself is bounded by <see cref="MaxVisited"/>.
/// </summary>
public static class GlobSearch
{
    public const int MaxResults = 100;
    public const int MaxVisited = 200_000;

    public sealed record Request(string Base, string Pattern);

    public sealed record Result(IReadOnlyList<string> Files, int Matched, bool WalkCut, string? Error)
    {
        public string Text()
        {
            if (Error is not null) return "";
            if (Files.Count == 0) return WalkCut ? $"No files found (the walk stopped after {MaxVisited:N0} entries)" : "No files found";
            var text = string.Join('\n', Files);
            if (Matched > Files.Count) text += $"\n(Results are truncated: {Matched - Files.Count} more files matched; use a more specific path or pattern.)";
            if (WalkCut) text += $"\n(The walk stopped after {MaxVisited:N0} entries; use a more specific path.)";
            return text;
        }
    }

    public static Request? Read(ToolCall call, out string? error)
    {
        error = null;
        var pattern = call.InputValue(ToolInputKeys.Pattern);
        if (string.IsNullOrEmpty(pattern)) { error = "Glob needs a non-empty 'pattern'"; return null; }
        var root = call.InputValue(ToolInputKeys.Path) is { Length: > 0 } p ? p : call.WorkingDirectory;
        if (!Path.IsPathFullyQualified(root)) { error = $"Glob 'path' must be an absolute path, not '{root}'"; return null; }
        if (root.Contains('\0') || pattern.Contains('\0')) { error = "Glob input contains a NUL character"; return null; }
        // The same split the policy judged: the fixed part before the first wildcard is a directory to start from.
        var cut = pattern.IndexOfAny(['*', '?', '[', '{']);
        var fixedPart = cut < 0 ? pattern : pattern[..cut];
        var slash = fixedPart.LastIndexOf('/');
        if (slash >= 0)
        {
            root = Path.Combine(root, fixedPart[..(slash + 1)]);
            pattern = pattern[(slash + 1)..];
        }
        if (pattern.Length == 0) { error = "Glob 'pattern' names a directory, not files"; return null; }
        if (ToolGlob.TryCompile(pattern, out error) is null) return null;
        return new Request(PathText.NormalizeLexically(root), pattern);
    }

    /// <param name="maxResults">Paths listed at most (<see cref="ToolLimits.MaxGlobResults"/>); the rest are counted.</param>
    public static Result Search(Request request, Func<string, bool>? include, CancellationToken cancellation, int maxResults = MaxResults)
    {
        var glob = ToolGlob.TryCompile(request.Pattern, out var error);
        if (glob is null) return new Result([], 0, false, error);
        if (!Directory.Exists(request.Base)) return new Result([], 0, false, $"Glob path '{request.Base}' is not a directory");
        var canonicalBase = SafeRead.Canonical(request.Base) ?? request.Base;
        var found = new List<(string Path, DateTime Modified)>();
        var visited = 0;
        var pending = new Stack<string>();
        pending.Push(request.Base);
        while (pending.Count > 0 && visited < MaxVisited)
        {
            cancellation.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try { entries = new DirectoryInfo(directory).EnumerateFileSystemInfos(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            try
            {
                foreach (var entry in entries)
                {
                    if (++visited > MaxVisited) break;
                    if (include is not null && !include(entry.FullName)) continue;
                    var relative = Path.GetRelativePath(request.Base, entry.FullName);
                    if (entry.LinkTarget is not null)
                    {
                        if (Target(entry, canonicalBase) is { } modified && glob.IsMatch(relative)) found.Add((entry.FullName, modified));
                        continue;
                    }
                    if (entry is DirectoryInfo)
                    {
                        if (entry.Name != ".git") pending.Push(entry.FullName);
                        continue;
                    }
                    if (glob.IsMatch(relative)) found.Add((entry.FullName, entry.LastWriteTimeUtc));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        var ordered = found.OrderByDescending(f => f.Modified).ThenBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Path).ToList();
        return new Result(ordered.Take(maxResults).ToList(), ordered.Count, visited >= MaxVisited, null);
    }

    /// <summary>A symlinked regular file's modification time when its target lies beneath the base; null otherwise.</summary>
    private static DateTime? Target(FileSystemInfo link, string canonicalBase)
    {
        if (SafeRead.Canonical(link.FullName) is not { } target || !PathText.IsSameOrUnder(target, canonicalBase, StringComparison.Ordinal)) return null;
        var info = new FileInfo(target);
        return info.Exists ? info.LastWriteTimeUtc : null;
    }
}
