using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The pending approvals of an <see cref="ApprovalBook"/>, immutable: by id, in listing order
/// (<see cref="ApprovalPosition"/>), by agent, session and workspace in that order too, and by call. A page costs
/// O(page × log n) whatever the number pending — never a copy of them all — when at most one filter is given; with
/// several it walks the smallest of their sets. A session prefix walks only the sessions under it (their ids kept in
/// ordinal order), merged in listing order: O((k + page) × log n) for k such sessions.
/// </summary>
public sealed class PendingIndex
{
    private static readonly ImmutableSortedSet<ApprovalPosition> NoPositions = ImmutableSortedSet<ApprovalPosition>.Empty;

    public static readonly PendingIndex Empty = new(ImmutableDictionary<ApprovalId, ApprovalRequested>.Empty, NoPositions,
        Keyed.Empty, Keyed.Ordered, Keyed.Empty, ImmutableDictionary<CallId, ImmutableArray<ApprovalId>>.Empty);

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
        var page = new List<ApprovalRequested>(Math.Min(query.Limit, walk.Count));
        var more = false;
        foreach (var at in walk.After(query.After))
        {
            var request = _byId[at.Id];
            if (!exact && !query.Matches(request)) continue;
            if (page.Count == query.Limit)
            {
                more = true;
                break;
            }
            page.Add(request);
        }
        ApprovalPosition? next = more ? ApprovalPosition.Of(page[^1]) : null;
        var total = exact ? walk.Count : walk.After(null).Count(p => query.Matches(_byId[p.Id]));
        return new ApprovalPage(page, next, total);
    }

    /// <summary>The smallest walk holding every match, and whether every member of it matches.</summary>
    private (Walk Walk, bool Exact) Candidates(ApprovalListQuery query)
    {
        var walks = new List<Walk>(4);
        if (query.Agent is { } agent) walks.Add(new([_byAgent.Of(agent)]));
        if (query.Session is { } session) walks.Add(new([_bySession.Of(session)]));
        if (query.Workspace is { } workspace) walks.Add(new([_byWorkspace.Of(workspace)]));
        if (query.SessionPrefix is { } prefix) walks.Add(new(_bySession.Under(prefix)));
        return walks.Count == 0 ? (new([_all]), true) : (walks.MinBy(w => w.Count)!, walks.Count == 1);
    }

    /// <summary>Disjoint position sets walked as one, in listing order (a merge when there are several).</summary>
    private sealed class Walk(IReadOnlyList<ImmutableSortedSet<ApprovalPosition>> sets)
    {
        public int Count { get; } = sets.Sum(s => s.Count);

        /// <summary>The positions after <paramref name="after"/> (exclusive; null: from the first), in order.</summary>
        public IEnumerable<ApprovalPosition> After(ApprovalPosition? after)
        {
            if (sets.Count == 1)
            {
                for (var i = Start(sets[0], after); i < sets[0].Count; i++) yield return sets[0][i];
                yield break;
            }
            var heads = new PriorityQueue<(int Set, int Index), ApprovalPosition>(sets.Count);
            for (var s = 0; s < sets.Count; s++)
                if (Start(sets[s], after) is var i && i < sets[s].Count) heads.Enqueue((s, i), sets[s][i]);
            while (heads.TryDequeue(out var head, out var at))
            {
                yield return at;
                var (s, i) = (head.Set, head.Index + 1);
                if (i < sets[s].Count) heads.Enqueue((s, i), sets[s][i]);
            }
        }

        private static int Start(ImmutableSortedSet<ApprovalPosition> set, ApprovalPosition? after)
        {
            if (after is not { } position) return 0;
            var found = set.IndexOf(position);
            return found >= 0 ? found + 1 : ~found;
        }
    }

    /// <summary>
    /// Positions by one key (agent, session or workspace); a key with none pending is absent. An ordered one also keeps
    /// its keys in ordinal order, for <see cref="Under"/>.
    /// </summary>
    private sealed class Keyed(ImmutableDictionary<string, ImmutableSortedSet<ApprovalPosition>> sets, ImmutableSortedSet<string>? keys = null)
    {
        private static readonly ImmutableDictionary<string, ImmutableSortedSet<ApprovalPosition>> None =
            ImmutableDictionary<string, ImmutableSortedSet<ApprovalPosition>>.Empty.WithComparers(StringComparer.Ordinal);

        public static readonly Keyed Empty = new(None);

        public static readonly Keyed Ordered = new(None, ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal));

        public ImmutableSortedSet<ApprovalPosition> Of(string key) => sets.GetValueOrDefault(key, NoPositions);

        /// <summary>The sets of the keys that start with <paramref name="prefix"/> (ordinal; an ordered Keyed only).</summary>
        public List<ImmutableSortedSet<ApprovalPosition>> Under(string prefix)
        {
            var ordered = keys ?? throw new InvalidOperationException("only an ordered index lists keys by prefix");
            var under = new List<ImmutableSortedSet<ApprovalPosition>>();
            var found = ordered.IndexOf(prefix);
            for (var i = found >= 0 ? found : ~found; i < ordered.Count && ordered[i].StartsWith(prefix, StringComparison.Ordinal); i++)
                under.Add(sets[ordered[i]]);
            return under;
        }

        public Keyed With(string? key, ApprovalPosition at)
        {
            if (key is null) return this;
            var set = Of(key);
            return new(sets.SetItem(key, set.Add(at)), set.IsEmpty ? keys?.Add(key) : keys);
        }

        public Keyed Without(string? key, ApprovalPosition at)
        {
            if (key is null || !sets.TryGetValue(key, out var set)) return this;
            var rest = set.Remove(at);
            return rest.IsEmpty ? new(sets.Remove(key), keys?.Remove(key)) : new(sets.SetItem(key, rest), keys);
        }
    }
}
