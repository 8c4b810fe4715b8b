using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy.Workspaces;

/// <summary>
/// The policies of the workspaces in use: workspace → its current <see cref="WorkspacePolicy"/>, loaded on first use
/// from the shared options (user, managed and command-line layers) with that workspace as the project, cached, and
/// reloaded by <see cref="Refresh"/> when a file it was built from changed. Evaluators and the snapshots sandbox
/// profiles derive from come from here (the server's policy stage, <c>orchestrator check</c> and <c>run</c>).
/// Thread-safe.
/// </summary>
public sealed class PolicyCatalog
{
    private readonly PolicyLoadOptions _shared;
    private readonly TimeProvider _clock;
    private readonly IPolicyFiles _files;
    private readonly Dictionary<string, WorkspacePolicy> _byWorkspace = new(StringComparer.Ordinal);
    private readonly bool _fixed;
    private readonly Lock _lock = new();

    public PolicyCatalog(PolicyLoadOptions shared, TimeProvider? clock = null, IPolicyFiles? files = null)
    {
        _shared = shared;
        _clock = clock ?? TimeProvider.System;
        _files = files ?? PolicyFiles.Disk;
        DefaultWorkspace = Key(shared.ProjectDirectory);
    }

    private PolicyCatalog(WorkspacePolicy only) : this(new PolicyLoadOptions(only.Workspace))
    {
        _fixed = true;
        _byWorkspace[DefaultWorkspace] = only;
    }

    /// <summary>One workspace whose snapshot was built by hand: every workspace asked for gets it, and it is never reloaded.</summary>
    public static PolicyCatalog Of(PolicySnapshot snapshot) => new(WorkspacePolicy.Of(snapshot, TimeProvider.System.GetUtcNow()));

    /// <summary>The workspace of the shared options' project directory (one-workspace use: <c>check</c>, <c>run</c>, <c>serve --project</c>).</summary>
    public string DefaultWorkspace { get; }

    public WorkspacePolicy Default => For(DefaultWorkspace);

    /// <summary>The policies loaded so far.</summary>
    public IReadOnlyList<WorkspacePolicy> Loaded
    {
        get { lock (_lock) return [.. _byWorkspace.Values]; }
    }

    /// <summary>The current policy of <paramref name="workspace"/> (an absolute directory), loaded on first use.</summary>
    public WorkspacePolicy For(string workspace)
    {
        var key = _fixed ? DefaultWorkspace : Key(workspace);
        lock (_lock)
        {
            if (_byWorkspace.TryGetValue(key, out var cached)) return cached;
            var loaded = Load(key);
            _byWorkspace[key] = loaded;
            return loaded;
        }
    }

    /// <summary>Whether <paramref name="workspace"/>'s policy is loaded (its first use records it).</summary>
    public bool IsLoaded(string workspace)
    {
        lock (_lock) return _byWorkspace.ContainsKey(_fixed ? DefaultWorkspace : Key(workspace));
    }

    /// <summary>
    /// Checks every loaded workspace's files against what its policy was built from and reloads those that changed;
    /// answers the new policies whose version differs (a change that leaves the policy as it was is not a new version).
    /// </summary>
    public IReadOnlyList<WorkspacePolicy> Refresh()
    {
        var changed = new List<WorkspacePolicy>();
        lock (_lock)
        {
            foreach (var (key, current) in _byWorkspace.ToArray())
            {
                if (current.IsCurrent(_files)) continue;
                var reloaded = Load(key);
                _byWorkspace[key] = reloaded;
                if (reloaded.Version != current.Version) changed.Add(reloaded);
            }
        }
        return changed;
    }

    private WorkspacePolicy Load(string workspace) =>
        WorkspacePolicy.Load(_shared with { ProjectDirectory = workspace }, _clock.GetUtcNow(), _files);

    private static string Key(string workspace)
    {
        var full = Path.GetFullPath(workspace);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
