using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The pending approvals of an <see cref="ApprovalBook"/>, immutable: by id, in listing order
/// (<see cref="ApprovalPosition"/>), by agent, session and workspace in that order too, and by call. A page costs
/// O(page × log n) whatever the number pending — never a copy of them all — when at most one filter is given; with
/// several it walks the smallest of their sets.
/// </summary>
public sealed class PendingIndex
{
    private static readonly ImmutableSortedSet<ApprovalPosition> NoPositions = ImmutableSortedSet<ApprovalPosition>.Empty;

    public static readonly PendingIndex Empty = new(ImmutableDictionary<ApprovalId, ApprovalRequested>.Empty, NoPositions,
        Keyed.Empty, Keyed.Empty, Keyed.Empty, ImmutableDictionary<CallId, ImmutableArray<ApprovalId>>.Empty);

    private readonly ImmutableDictionary<ApprovalId, ApprovalRequested> _byId;
    private readonly ImmutableSortedSet<ApprovalPosition> _all;
    private readonly Keyed _byAgent, _bySession, _byWorkspace;
    private readonly ImmutableDictionary<CallId, ImmutableArray<ApprovalId>> _byCall;

    private PendingIndex(ImmutableDictionary<ApprovalId, ApprovalRequested> byId, ImmutableSortedSet<ApprovalPosition> all,
        Keyed byAgent, Keyed bySession, Keyed byWorkspace, ImmutableDictionary<CallId, ImmutableArray<ApprovalId>> byCall)
    {
        _byId = byId;
        _all = all;
        _byAgent = byAgent;
        _bySession = bySession;
        _byWorkspace = byWorkspace;
        _byCall = byCall;
    }

    public int Count => _byId.Count;

    public ApprovalRequested? Find(ApprovalId id) => _byId.GetValueOrDefault(id);

    /// <summary>Every pending approval, earliest deadline first.</summary>
    public IEnumerable<ApprovalRequested> InOrder => _all.Select(p => _byId[p.Id]);

    public ApprovalRequested? First => _all.Count == 0 ? null : _byId[_all.Min.Id];

    /// <summary>The pending approvals of a call (usually none or one).</summary>
    public ImmutableArray<ApprovalId> OfCall(CallId call) => _byCall.GetValueOrDefault(call, []);

    /// <summary>Adds a request, replacing a pending one with the same id.</summary>
    public PendingIndex Add(ApprovalRequested request)
    {
        var index = _byId.ContainsKey(request.ApprovalId) ? Remove(request.ApprovalId) : this;
        var at = ApprovalPosition.Of(request);
        return new(index._byId.SetItem(request.ApprovalId, request), index._all.Add(at),
            index._byAgent.With(request.Agent.Value, at), index._bySession.With(request.Session.Value, at),
            index._byWorkspace.With(request.Workspace, at),
            index._byCall.SetItem(request.CallId, index.OfCall(request.CallId).Add(request.ApprovalId)));
    }

    public PendingIndex Remove(ApprovalId id)
    {
        if (!_byId.TryGetValue(id, out var request)) return this;
        var at = ApprovalPosition.Of(request);
        var ofCall = OfCall(request.CallId).Remove(id);
        return new(_byId.Remove(id), _all.Remove(at), _byAgent.Without(request.Agent.Value, at),
            _bySession.Without(request.Session.Value, at), _byWorkspace.Without(request.Workspace, at),
            ofCall.IsEmpty ? _byCall.Remove(request.CallId) : _byCall.SetItem(request.CallId, ofCall));
    }

    /// <summary>The page the query asks for (see <see cref="ApprovalListQuery"/>), with the total its filters match.</summary>
    public ApprovalPage Page(ApprovalListQuery query)
    {
        var (walk, exact) = Candidates(query);
        var i = 0;
        if (query.After is { } after)
        {
            var found = walk.IndexOf(after);
            i = found >= 0 ? found + 1 : ~found;
        }
        var page = new List<ApprovalRequested>(Math.Max(0, Math.Min(query.Limit, walk.Count - i)));
        for (; i < walk.Count && page.Count < query.Limit; i++)
            if (_byId[walk[i].Id] is var request && (exact || query.Matches(request))) page.Add(request);
        var more = exact ? i < walk.Count : AnyMatch(walk, i, query);
        ApprovalPosition? next = page.Count == query.Limit && more ? ApprovalPosition.Of(page[^1]) : null;
        var total = exact ? walk.Count : walk.Count(p => query.Matches(_byId[p.Id]));
        return new ApprovalPage(page, next, total);
    }

    /// <summary>The smallest set holding every match, and whether every member of it matches.</summary>
    private (ImmutableSortedSet<ApprovalPosition> Walk, bool Exact) Candidates(ApprovalListQuery query)
    {
        var filters = 0;
        var walk = _all;
        foreach (var (key, index) in new[] { (query.Agent, _byAgent), (query.Session, _bySession), (query.Workspace, _byWorkspace) })
        {
            if (key is null) continue;
            filters++;
            var set = index.Of(key);
            if (set.Count < walk.Count || filters == 1) walk = set;
        }
        return (walk, filters <= 1);
    }

    private bool AnyMatch(ImmutableSortedSet<ApprovalPosition> walk, int from, ApprovalListQuery query)
    {
        for (var i = from; i < walk.Count; i++)
            if (query.Matches(_byId[walk[i].Id])) return true;
        return false;
    }

    /// <summary>Positions by one key (agent, session or workspace); a key with none pending is absent.</summary>
    private sealed class Keyed(ImmutableDictionary<string, ImmutableSortedSet<ApprovalPosition>> sets)
    {
        public static readonly Keyed Empty = new(ImmutableDictionary<string, ImmutableSortedSet<ApprovalPosition>>.Empty.WithComparers(StringComparer.Ordinal));

        public ImmutableSortedSet<ApprovalPosition> Of(string key) => sets.GetValueOrDefault(key, NoPositions);

        public Keyed With(string? key, ApprovalPosition at) => key is null ? this : new(sets.SetItem(key, Of(key).Add(at)));

        public Keyed Without(string? key, ApprovalPosition at)
        {
            if (key is null || !sets.TryGetValue(key, out var set)) return this;
            var rest = set.Remove(at);
            return new(rest.IsEmpty ? sets.Remove(key) : sets.SetItem(key, rest));
        }
    }
}
