using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Paths;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>
/// The workspace indexes of this process (one per writable root and protection, one per anchor of a Read-deny glob
/// outside the roots), built on first use and kept current by inotify, and the runs going on in each. A run asks
/// <see cref="Begin"/> what to bind and hide — no walk of the tree, only what the kernel queued since — and
/// <see cref="WorkspaceRun.End"/> which protected paths appeared while it ran: those are moved into the quarantine and
/// reported in every run that was going on in that root when they were found (any of them may have made them).
/// One lock serialises everything; a first walk of a large tree holds it (once per process and tree).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkspaceIndexes(long rootEntryLimit = 2_000_000, long anchorEntryLimit = 50_000, int maxIndexes = 32)
{
    /// <summary>The indexes of this process: inotify watches and the runs they attribute to are per process.</summary>
    public static WorkspaceIndexes Shared { get; } = new();

    private readonly object _gate = new();
    private readonly Dictionary<string, WorkspaceIndex> _indexes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastUsed = new(StringComparer.Ordinal);
    private long _uses;

    public WorkspaceRun Begin(SandboxProfile profile, Quarantine quarantine)
    {
        var run = new IndexedRun();
        var joined = new List<WorkspaceIndex>();
        var protectedEntries = new List<ProtectedEntry>();
        var hidden = new SortedSet<string>(StringComparer.Ordinal);
        var notes = new List<string>();
        var notices = new List<string>();
        lock (_gate)
        {
            foreach (var root in profile.WritableRoots.Where(Directory.Exists))
            {
                var patterns = Relevant(profile.HiddenPatterns, root) is { Count: > 0 } relevant ? new PatternSet(relevant) : null;
                var index = RootIndex(root, profile, patterns, quarantine, notices);
                Attribute(index, index.Drain());
                protectedEntries.AddRange(index.Protected);
                if (patterns is not null) hidden.UnionWith(index.MatchesOf(patterns));
                Note(index, notes);
                if (profile.Mode == SandboxMode.WorkspaceWrite)
                {
                    index.ActiveRuns.Add(run);
                    joined.Add(index);
                }
            }
            foreach (var (anchor, patterns) in AnchorsOutside(profile))
            {
                if (anchor == "/" || !Directory.Exists(anchor))
                {
                    if (anchor == "/") notes.Add($"Read deny {string.Join(", ", patterns.Select(p => p.Spec))}: a glob over the whole filesystem is not resolved by the sandbox (the policy still denies such reads)");
                    continue;
                }
                var set = new PatternSet(patterns);
                var index = Index(anchor + "\n(patterns)", () => new WorkspaceIndex(anchor, protection: null, anchorEntryLimit, set));
                index.Drain();
                hidden.UnionWith(index.MatchesOf(set));
                Note(index, notes);
            }
        }
        return new WorkspaceRun(this, run, joined, protectedEntries, [.. hidden], notes, notices, quarantine);
    }

    internal ImmutableArray<CreatedProtectedPath> End(IndexedRun run, IReadOnlyList<WorkspaceIndex> joined, Quarantine quarantine)
    {
        lock (_gate)
        {
            foreach (var index in joined)
            {
                Attribute(index, index.Drain());
                index.ActiveRuns.Remove(run);
            }
            var results = ImmutableArray.CreateBuilder<CreatedProtectedPath>();
            foreach (var found in run.Found)
            {
                if (!found.Handled)
                {
                    found.MovedTo = quarantine.Move(found.Entry.Path, "a protected path created while a sandboxed command ran", out var failure);
                    found.Note = found.MovedTo is null ? failure ?? "gone before it could be moved" : null;
                    found.Handled = true;
                }
                results.Add(new CreatedProtectedPath(found.Entry.Path, found.MovedTo, found.Note, found.RunsActive - 1));
            }
            foreach (var index in joined) index.Drain(); // our own moves, so no later run mistakes them for its doing
            return results.ToImmutable();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/>, the server's own change inside a workspace (an always grant's rule in
    /// <c>.orchestrator/settings.local.json</c>), so that no sandboxed run going on is blamed for the protected paths it
    /// creates: what appeared before is attributed to the runs first, then what the write made is drained unattributed,
    /// as <see cref="End"/> does with its own moves.
    /// </summary>
    public void WriteAsServer(Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            foreach (var index in _indexes.Values) Attribute(index, index.Drain());
            try { write(); }
            finally
            {
                foreach (var index in _indexes.Values) index.Drain();
            }
        }
    }

    internal void Leave(IndexedRun run, IReadOnlyList<WorkspaceIndex> joined)
    {
        lock (_gate)
            foreach (var index in joined) index.ActiveRuns.Remove(run);
    }

    /// <summary>Protected paths that appeared while runs were going on are theirs to answer for; with none going on they are the user's.</summary>
    private static void Attribute(WorkspaceIndex index, List<ProtectedChange> changes)
    {
        if (index.ActiveRuns.Count == 0) return;
        foreach (var change in changes.Where(c => c.Appeared))
        {
            var found = new FoundCreation(change.Entry, index.ActiveRuns.Count);
            foreach (var run in index.ActiveRuns) run.Found.Add(found);
        }
    }

    private WorkspaceIndex RootIndex(string root, SandboxProfile profile, PatternSet? patterns, Quarantine quarantine, List<string> notices) =>
        Index(root + "\n" + string.Join('\0', profile.ProtectedNames) + "\n" + string.Join('\0', profile.ProtectedLocations), () =>
        {
            // First use of this root in this process: what older versions left, then one walk.
            notices.AddRange(StubLeftovers.Clean(root, profile.ProtectedNames, quarantine));
            var extraNames = profile.ProtectedNames.Except(ProtectedNames.Defaults, StringComparer.Ordinal).ToArray();
            return new WorkspaceIndex(root, ProtectedPathSet.Create([root], extraNames, profile.ProtectedLocations), rootEntryLimit, patterns);
        });

    /// <summary>
    /// The index under <paramref name="key"/>, built on first use. Beyond <c>maxIndexes</c> the least recently used one
    /// with no run going on is dropped (each holds an inotify instance, and a user has 128 of them by default).
    /// </summary>
    private WorkspaceIndex Index(string key, Func<WorkspaceIndex> build)
    {
        _lastUsed[key] = ++_uses;
        if (_indexes.TryGetValue(key, out var index)) return index;
        index = build();
        _indexes[key] = index;
        while (_indexes.Count > maxIndexes
               && _indexes.Where(i => i.Key != key && i.Value.ActiveRuns.Count == 0).MinBy(i => _lastUsed[i.Key]) is { Key: { } idle } oldest)
        {
            oldest.Value.Dispose();
            _indexes.Remove(idle);
            _lastUsed.Remove(idle);
        }
        return index;
    }

    private static void Note(WorkspaceIndex index, List<string> notes)
    {
        if (index.Degraded is { } degraded) notes.Add(degraded);
        if (index.Truncated) notes.Add($"{index.Root} has more than {index.EntryLimit:N0} entries: protected paths and Read-deny matches beyond them are not covered");
    }

    /// <summary>Patterns that can match below <paramref name="root"/>: an anchor inside it, or an anchor above it.</summary>
    private static List<PathPattern> Relevant(IEnumerable<PathPattern> patterns, string root) =>
        [.. patterns.Where(p => p.Anchors.Any(a => PathText.IsSameOrUnder(a, root, StringComparison.Ordinal) || PathText.IsSameOrUnder(root, a, StringComparison.Ordinal)))];

    /// <summary>Anchors of Read-deny globs not inside any writable root, each with the patterns anchored there.</summary>
    private static IEnumerable<(string Anchor, List<PathPattern> Patterns)> AnchorsOutside(SandboxProfile profile) =>
        profile.HiddenPatterns
            .SelectMany(p => p.Anchors.Select(a => (Anchor: a, Pattern: p)))
            .Where(x => !profile.WritableRoots.Any(r => PathText.IsSameOrUnder(x.Anchor, r, StringComparison.Ordinal)))
            .GroupBy(x => x.Anchor, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(x => x.Pattern).Distinct().ToList()));
}

/// <summary>One run as the indexes know it: what was found while it was going on.</summary>
internal sealed class IndexedRun
{
    public List<FoundCreation> Found { get; } = [];
}

/// <summary>One protected path that appeared, shared by every run it is reported in; the first run to end moves it.</summary>
internal sealed class FoundCreation(ProtectedEntry entry, int runsActive)
{
    public ProtectedEntry Entry { get; } = entry;
    public int RunsActive { get; } = runsActive;
    public bool Handled { get; set; }
    public string? MovedTo { get; set; }
    public string? Note { get; set; }
}
