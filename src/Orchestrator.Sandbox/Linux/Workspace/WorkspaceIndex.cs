using System.IO.Enumeration;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>
/// What one directory tree holds that the sandbox must know at every run, kept without walking the tree again: the
/// protected paths that exist at any depth (to bind read-only) and the paths that Read-deny globs match (to hide).
/// Built by one walk that puts an inotify watch on every directory; afterwards <see cref="Drain"/> applies what the
/// kernel queued — names appearing, going, directories moved in (scanned) or out (forgotten) — and a queue overflow
/// triggers a fresh walk. The inside of a protected directory is not indexed: it is bound read-only as a whole.
/// Not thread-safe: <see cref="WorkspaceIndexes"/> serialises access.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class WorkspaceIndex : IDisposable
{
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int ENOSPC = 28;

    private readonly Inotify? _inotify;
    private readonly ProtectedPathSet? _protection;
    private readonly Dictionary<int, string> _directoryOfWatch = [];
    private readonly Dictionary<string, int> _watchOfDirectory = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _directories = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ProtectedEntry> _protected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatternMatches> _patterns = new(StringComparer.Ordinal);
    private long _entries;

    /// <param name="protection">Protected names and paths below <paramref name="root"/>; null for a tree indexed only for Read-deny globs.</param>
    /// <param name="patterns">Read-deny globs matched during the first walk already (others cost a walk of their own when asked for).</param>
    public WorkspaceIndex(string root, ProtectedPathSet? protection, long entryLimit, PatternSet? patterns = null)
    {
        Root = root;
        _protection = protection;
        EntryLimit = entryLimit;
        if (patterns is not null) _patterns[patterns.Key] = new PatternMatches(patterns);
        _inotify = Inotify.TryCreate(out var whyNot);
        if (whyNot is not null) Degraded = $"{whyNot}; {root} is walked again at every run";
        Scan(root, changes: null);
    }

    public string Root { get; }
    public long EntryLimit { get; }

    /// <summary>Set when the tree has more entries than <see cref="EntryLimit"/>: what lies beyond was not indexed.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Why the index cannot trust inotify (no instance, watch limit): it is rebuilt by a walk at every drain.</summary>
    public string? Degraded { get; private set; }

    /// <summary>Runs going on in this tree (for attribution of what appears meanwhile).</summary>
    public List<IndexedRun> ActiveRuns { get; } = [];

    /// <summary>Existing protected paths, topmost first (nothing below a protected directory is listed).</summary>
    public IEnumerable<ProtectedEntry> Protected => _protected.Values;

    /// <summary>Paths below the root matched by <paramref name="patterns"/> (one walk the first time this set is asked for).</summary>
    public IReadOnlyCollection<string> MatchesOf(PatternSet patterns)
    {
        if (!_patterns.TryGetValue(patterns.Key, out var matches))
        {
            matches = new PatternMatches(patterns);
            if (_patterns.Count >= 8) _patterns.Remove(_patterns.Keys.First());
            _patterns[patterns.Key] = matches;
            foreach (var directory in _directories.Count > 0 ? [.. _directories] : WalkDirectories())
                foreach (var (path, _) in List(directory))
                    matches.Consider(path);
        }
        return matches.Paths;
    }

    /// <summary>Applies everything queued since the last drain; returns protected paths that appeared or went.</summary>
    public List<ProtectedChange> Drain()
    {
        var changes = new List<ProtectedChange>();
        if (_inotify is null || Degraded is not null)
        {
            Rescan(changes);
            return changes;
        }
        List<InotifyEvent> events;
        try { events = _inotify.Drain(); }
        catch (IOException e)
        {
            Degraded = e.Message;
            Rescan(changes);
            return changes;
        }
        foreach (var e in events)
        {
            if (e.Has(InotifyEvent.QueueOverflow))
            {
                Rescan(changes);
                return changes;
            }
            Apply(e, changes);
        }
        return changes;
    }

    private void Apply(InotifyEvent e, List<ProtectedChange> changes)
    {
        if (!_directoryOfWatch.TryGetValue(e.Watch, out var directory)) return;
        if (e.Has(InotifyEvent.Ignored) || e.Has(InotifyEvent.DeleteSelf))
        {
            Forget(directory);
            return;
        }
        if (e.Name.Length == 0) return;
        var path = PathText.Join(directory, e.Name);
        if (e.Has(InotifyEvent.Create) || e.Has(InotifyEvent.MovedTo))
            Appeared(path, changes);
        else if (e.Has(InotifyEvent.Delete) || e.Has(InotifyEvent.MovedFrom))
            Went(path, changes);
    }

    private void Appeared(string path, List<ProtectedChange> changes)
    {
        var kind = KindOf(path);
        if (kind == EntryKind.Missing) return; // came and went before we looked
        if (Consider(path, kind, changes) && kind == EntryKind.Directory) Scan(path, changes);
    }

    private void Went(string path, List<ProtectedChange> changes)
    {
        if (_protected.Remove(path, out var entry)) changes.Add(new ProtectedChange(entry, Appeared: false));
        foreach (var matches in _patterns.Values) matches.RemoveAtOrBelow(path);
        if (!_directories.Contains(path)) return;
        // A directory moved away (one deleted is empty by now): forget everything below it.
        foreach (var below in _protected.Keys.Where(p => PathText.IsSameOrUnder(p, path, StringComparison.Ordinal)).ToList())
            if (_protected.Remove(below, out var inside)) changes.Add(new ProtectedChange(inside, Appeared: false));
        foreach (var directory in SortedPaths.AtOrBelow(_directories, path).ToList()) Forget(directory, unwatch: true);
    }

    /// <summary>Records one entry; returns whether a directory should be descended into.</summary>
    private bool Consider(string path, EntryKind kind, List<ProtectedChange>? changes)
    {
        if (++_entries > EntryLimit)
        {
            Truncated = true;
            return false;
        }
        if (_protection is not null && _protection.IsProtected(path, out _))
        {
            var entry = new ProtectedEntry(path, kind, kind == EntryKind.SymbolicLink ? LinkTarget(path) : null);
            if (_protected.TryAdd(path, entry)) changes?.Add(new ProtectedChange(entry, Appeared: true));
            return false;
        }
        foreach (var matches in _patterns.Values) matches.Consider(path);
        return kind == EntryKind.Directory;
    }

    private void Scan(string top, List<ProtectedChange>? changes)
    {
        var pending = new Stack<string>();
        pending.Push(top);
        while (pending.Count > 0 && !Truncated)
        {
            var directory = pending.Pop();
            if (!Watch(directory)) continue;
            foreach (var (path, kind) in List(directory))
                if (Consider(path, kind, changes)) pending.Push(path);
        }
    }

    private bool Watch(string directory)
    {
        if (_inotify is null || Degraded is not null) return true;
        var watch = _inotify.AddWatch(directory, out var error);
        if (watch < 0)
        {
            if (error is ENOENT or ENOTDIR) return false;
            Degraded = error == ENOSPC
                ? $"the inotify watch limit (fs.inotify.max_user_watches) is too low for {Root}; it is walked again at every run"
                : $"cannot watch {directory} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}); {Root} is walked again at every run";
            return true;
        }
        if (_directoryOfWatch.TryGetValue(watch, out var previous))
        {
            _watchOfDirectory.Remove(previous);
            _directories.Remove(previous);
        }
        _directoryOfWatch[watch] = directory;
        _watchOfDirectory[directory] = watch;
        _directories.Add(directory);
        return true;
    }

    private void Forget(string directory, bool unwatch = false)
    {
        if (!_watchOfDirectory.Remove(directory, out var watch)) return;
        _directories.Remove(directory);
        _directoryOfWatch.Remove(watch);
        if (unwatch) _inotify?.RemoveWatch(watch);
    }

    /// <summary>A fresh walk (after a queue overflow, or at every drain when inotify cannot be trusted); the differences are changes.</summary>
    private void Rescan(List<ProtectedChange> changes)
    {
        var before = new Dictionary<string, ProtectedEntry>(_protected, StringComparer.Ordinal);
        foreach (var watch in _directoryOfWatch.Keys) _inotify?.RemoveWatch(watch);
        _directoryOfWatch.Clear();
        _watchOfDirectory.Clear();
        _directories.Clear();
        _protected.Clear();
        foreach (var matches in _patterns.Values) matches.Clear();
        _entries = 0;
        Truncated = false;
        if (_inotify is not null && Degraded is not null && !Degraded.Contains("inotify_init1", StringComparison.Ordinal)) Degraded = null;
        _inotify?.Drain(); // events of the old watches are stale now
        Scan(Root, changes: null);
        foreach (var (path, entry) in _protected)
            if (!before.ContainsKey(path)) changes.Add(new ProtectedChange(entry, Appeared: true));
        foreach (var (path, entry) in before)
            if (!_protected.ContainsKey(path)) changes.Add(new ProtectedChange(entry, Appeared: false));
    }

    private IEnumerable<string> WalkDirectories()
    {
        var pending = new Stack<string>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            yield return directory;
            foreach (var (path, kind) in List(directory))
                if (kind == EntryKind.Directory && !_protected.ContainsKey(path)) pending.Push(path);
        }
    }

    private static List<(string Path, EntryKind Kind)> List(string directory)
    {
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false, ReturnSpecialDirectories = false };
        try
        {
            return [.. new FileSystemEnumerable<(string, EntryKind)>(directory, (ref FileSystemEntry entry) =>
                (entry.ToFullPath(), (entry.Attributes & FileAttributes.ReparsePoint) != 0 ? EntryKind.SymbolicLink
                    : entry.IsDirectory ? EntryKind.Directory : EntryKind.File), options)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static EntryKind KindOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path) && info.LinkTarget is null) return EntryKind.Missing;
            if (info.LinkTarget is not null) return EntryKind.SymbolicLink;
            return (info.Attributes & FileAttributes.Directory) != 0 ? EntryKind.Directory : EntryKind.File;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return EntryKind.Missing;
        }
    }

    private static string? LinkTarget(string path)
    {
        try { return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public void Dispose() => _inotify?.Dispose();
}

public enum EntryKind
{
    Missing,
    File,
    Directory,
    SymbolicLink,
}

/// <summary>A protected path that exists; for a link, <see cref="LinkTarget"/> is where it finally leads (null if nowhere).</summary>
public sealed record ProtectedEntry(string Path, EntryKind Kind, string? LinkTarget);

/// <summary>A protected path that appeared in, or went from, an indexed tree.</summary>
internal sealed record ProtectedChange(ProtectedEntry Entry, bool Appeared);
