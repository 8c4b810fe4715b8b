using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy.Evaluation;
using Orchestrator.Core.Policy.Sources;

namespace Orchestrator.Core.Policy.Workspaces;

/// <summary>
/// One workspace's policy as it stands: the snapshot, the one evaluator built for it (this is the only place that
/// builds evaluators), its hooks, the <see cref="PolicyLoaded"/> that records it, and what the loader observed on disk
/// (to tell when it is no longer current). The sandbox profile of a call judged by this policy derives from
/// <see cref="Snapshot"/>. Immutable; safe to share between threads.
/// </summary>
public sealed class WorkspacePolicy
{
    private readonly Lazy<HookConfiguration> _hooks;

    private WorkspacePolicy(PolicySnapshot snapshot, PolicyLoaded loaded, IReadOnlyList<PolicyFileObservation> observed)
    {
        Snapshot = snapshot;
        Loaded = loaded;
        Observed = observed;
        Evaluator = new PolicyEvaluator(snapshot);
        _hooks = new Lazy<HookConfiguration>(() => HookConfiguration.From(snapshot));
    }

    public string Workspace => Snapshot.ProjectDirectory;
    public string Version => Snapshot.Version;
    public PolicySnapshot Snapshot { get; }
    public PolicyEvaluator Evaluator { get; }
    public HookConfiguration Hooks => _hooks.Value;
    public PolicyLoaded Loaded { get; }

    /// <summary>Every path the loader looked at and what it found; empty for a snapshot built by hand (never reloaded).</summary>
    public IReadOnlyList<PolicyFileObservation> Observed { get; }

    /// <summary>Loads the layers of <paramref name="options"/> (its project directory is the workspace), recording what was read.</summary>
    public static WorkspacePolicy Load(PolicyLoadOptions options, DateTimeOffset at, IPolicyFiles? files = null)
    {
        var recording = new RecordingPolicyFiles(files ?? PolicyFiles.Disk);
        var snapshot = PolicyLoader.Load(options, recording);
        var observed = recording.Observations;
        var layers = snapshot.Sources.GroupBy(s => s.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Layer, StringComparer.Ordinal);
        var loaded = new PolicyLoaded(snapshot.Version, snapshot.ProjectDirectory, PolicyLoadSettings.From(options),
            [.. observed.Select(o => PolicyLayerSource.From(o, layers.TryGetValue(o.Path, out var layer) ? layer : null))],
            [.. snapshot.Errors.Select(e => e.ToString())], snapshot.FailedClosed, at);
        return new WorkspacePolicy(snapshot, loaded, observed);
    }

    /// <summary>The policy a <see cref="PolicyLoaded"/> recorded, rebuilt from its recorded files alone (the disk is not read).</summary>
    public static WorkspacePolicy Rebuild(PolicyLoaded loaded)
    {
        var observed = loaded.Sources.Select(s => s.ToObservation()).ToArray();
        var snapshot = PolicyLoader.Load(loaded.Settings.ToOptions(), new RecordedPolicyFiles(observed));
        return new WorkspacePolicy(snapshot, loaded, observed);
    }

    /// <summary>A snapshot built by hand (tests, embedders): recorded without file contents, and never reloaded.</summary>
    public static WorkspacePolicy Of(PolicySnapshot snapshot, DateTimeOffset at)
    {
        var settings = PolicyLoadSettings.From(new PolicyLoadOptions(snapshot.ProjectDirectory)
        {
            HomeDirectory = snapshot.HomeDirectory, ManagedSettingsPath = null, UserSettingsPath = null, DataDirectories = snapshot.DataDirectories,
        });
        var sources = snapshot.Sources.Select(s => new PolicyLayerSource(s.Path, PolicyFileKind.File, s.Layer, s.Digest, Entries: []));
        return new WorkspacePolicy(snapshot,
            new PolicyLoaded(snapshot.Version, snapshot.ProjectDirectory, settings, [.. sources], [.. snapshot.Errors.Select(e => e.ToString())], snapshot.FailedClosed, at),
            []);
    }

    /// <summary>Whether every path the loader looked at still holds what it held (contents compared, not times).</summary>
    public bool IsCurrent(IPolicyFiles files) => Observed.All(o => files.Observe(o.Path).SameAs(o));

    /// <summary>The directories to watch for changes: those of every path the loader looked at (and the directories themselves).</summary>
    public IReadOnlyList<string> WatchedDirectories =>
        Observed.Select(o => o.Kind == PolicyFileKind.Directory ? o.Path : Path.GetDirectoryName(o.Path))
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
