using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>
/// One sandboxed run as the workspace indexes see it: what existed when it began (<see cref="ExistingProtected"/> to
/// bind read-only, <see cref="HiddenMatches"/> to hide) and, at <see cref="End"/>, what protected paths appeared meanwhile.
/// Disposing without ending leaves the runs' bookkeeping (nothing is moved).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkspaceRun : IDisposable
{
    private readonly WorkspaceIndexes _owner;
    private readonly IndexedRun _run;
    private readonly IReadOnlyList<WorkspaceIndex> _joined;
    private readonly Quarantine _quarantine;
    private bool _ended;

    internal WorkspaceRun(WorkspaceIndexes owner, IndexedRun run, IReadOnlyList<WorkspaceIndex> joined, IReadOnlyList<ProtectedEntry> existingProtected,
        IReadOnlyList<string> hiddenMatches, IReadOnlyList<string> notes, IReadOnlyList<string> notices, Quarantine quarantine)
    {
        _owner = owner;
        _run = run;
        _joined = joined;
        _quarantine = quarantine;
        ExistingProtected = existingProtected;
        HiddenMatches = hiddenMatches;
        Notes = notes;
        Notices = notices;
    }

    /// <summary>Protected paths that exist below the writable roots, at any depth (topmost only).</summary>
    public IReadOnlyList<ProtectedEntry> ExistingProtected { get; }

    /// <summary>Existing paths that Read-deny globs match.</summary>
    public IReadOnlyList<string> HiddenMatches { get; }

    /// <summary>What the indexes could not cover (limits reached, globs too wide), for the layers' unavailable list.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>What was done before the run (stubs of older versions moved into the quarantine).</summary>
    public IReadOnlyList<string> Notices { get; }

    public ImmutableArray<CreatedProtectedPath> End()
    {
        if (_ended) return [];
        _ended = true;
        return _owner.End(_run, _joined, _quarantine);
    }

    public void Dispose()
    {
        if (_ended) return;
        _ended = true;
        _owner.Leave(_run, _joined);
    }
}
