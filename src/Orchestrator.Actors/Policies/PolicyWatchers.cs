using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Policies;

/// <summary>
/// File system watchers on the directories the loaded policies were read from (for a directory that does not exist
/// yet, its nearest existing ancestor), one per directory; any event calls <c>touched</c>. A watcher that cannot be
/// created (inotify limits) is reported once and left to the periodic recheck.
/// </summary>
internal sealed class PolicyWatchers(Action touched, Action<string> report) : IDisposable
{
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    public void Watch(IEnumerable<WorkspacePolicy> policies)
    {
        var wanted = policies.SelectMany(p => p.WatchedDirectories).Select(NearestExisting).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _watchers.Keys.Where(d => !wanted.Contains(d)).ToArray())
        {
            _watchers[gone].Dispose();
            _watchers.Remove(gone);
        }
        foreach (var directory in wanted.Where(d => !_watchers.ContainsKey(d)))
        {
            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    IncludeSubdirectories = false,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Changed += (_, _) => touched();
                watcher.Created += (_, _) => touched();
                watcher.Deleted += (_, _) => touched();
                watcher.Renamed += (_, _) => touched();
                watcher.Error += (_, _) => touched();
                watcher.EnableRaisingEvents = true;
                _watchers[directory] = watcher;
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                if (_failed.Add(directory)) report($"cannot watch {directory} for settings changes ({e.Message}); it is rechecked periodically");
            }
        }
    }

    private static string? NearestExisting(string directory)
    {
        for (var d = directory; !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
            if (Directory.Exists(d)) return d;
        return null;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers.Values) watcher.Dispose();
        _watchers.Clear();
    }
}
