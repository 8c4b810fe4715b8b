using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The pure, immutable index behind the approval broker: pending approvals (by id and by deadline), closed ones (so a
/// duplicate or stale answer is rejected with the decision that stands) and live grants, rebuilt by applying history
/// events. Scopes: <c>once</c> approves only the call asked about and leaves no grant; <c>session</c> covers later calls
/// of the same session with the same <see cref="GrantSubject"/>; <c>always</c> covers that subject in every session and
/// yields an allow rule for the project-local layer (writing it is the caller's job).
/// Closed approvals (answered or timed out) are remembered only for the last <see cref="ClosedRetention"/> closes, so a
/// long-running server's book holds what is open, not its whole history: the call's own lifecycle is the authority on a
/// late answer (<see cref="Lifecycle.CallLifecycle"/>), and the book's memory of closes only keeps a request replayed
/// just after its close from reopening.
/// </summary>
public sealed class ApprovalBook
{
    /// <summary>How many closed approvals the book remembers (the oldest is forgotten first).</summary>
    public const int DefaultClosedRetention = 4096;

    public static readonly ApprovalBook Empty = WithRetention(DefaultClosedRetention);

    /// <summary>An empty book remembering at most <paramref name="closedRetention"/> closed approvals.</summary>
    public static ApprovalBook WithRetention(int closedRetention)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(closedRetention);
        return new(
            PendingIndex.Empty,
            ImmutableDictionary<ApprovalId, ApprovalAnswered>.Empty,
            ImmutableDictionary<ApprovalId, ApprovalTimedOut>.Empty,
            ImmutableDictionary<GrantId, Grant>.Empty,
            ImmutableDictionary<GrantSubject, ImmutableArray<GrantId>>.Empty,
            ImmutableDictionary<GrantId, GrantRevoked>.Empty,
            ImmutableQueue<ApprovalId>.Empty, 0, closedRetention);
    }

    private readonly PendingIndex _pending;
    private readonly ImmutableDictionary<ApprovalId, ApprovalAnswered> _answered;
    private readonly ImmutableDictionary<ApprovalId, ApprovalTimedOut> _timedOut;
    private readonly ImmutableDictionary<GrantId, Grant> _grants;
    private readonly ImmutableDictionary<GrantSubject, ImmutableArray<GrantId>> _grantsBySubject;
    private readonly ImmutableDictionary<GrantId, GrantRevoked> _revoked;
    private readonly ImmutableQueue<ApprovalId> _closedOrder;
    private readonly int _closedCount;

    public int ClosedRetention { get; }

    /// <summary>How many closed approvals the book remembers now (at most <see cref="ClosedRetention"/>).</summary>
    public int ClosedCount => _closedCount;

    private ApprovalBook(
        PendingIndex pending,
        ImmutableDictionary<ApprovalId, ApprovalAnswered> answered,
        ImmutableDictionary<ApprovalId, ApprovalTimedOut> timedOut,
        ImmutableDictionary<GrantId, Grant> grants,
        ImmutableDictionary<GrantSubject, ImmutableArray<GrantId>> grantsBySubject,
        ImmutableDictionary<GrantId, GrantRevoked> revoked,
        ImmutableQueue<ApprovalId> closedOrder,
        int closedCount,
        int closedRetention)
    {
        _closedOrder = closedOrder;
        _closedCount = closedCount;
        ClosedRetention = closedRetention;
        _pending = pending;
        _answered = answered;
        _timedOut = timedOut;
        _grants = grants;
        _grantsBySubject = grantsBySubject;
        _revoked = revoked;
    }

    public static ApprovalBook Rebuild(IEnumerable<HistoryEvent> events) => events.Aggregate(Empty, (book, e) => book.Apply(e));

    /// <summary>Pending approvals, earliest deadline first.</summary>
    public IEnumerable<ApprovalRequested> Pending => _pending.InOrder;

    public int PendingCount => _pending.Count;

    /// <summary>One page of the pending approvals (O(page) however many are pending; see <see cref="PendingIndex.Page"/>).</summary>
    public ApprovalPage Page(ApprovalListQuery query) => _pending.Page(query);

    /// <summary>Live grants (not revoked), oldest first.</summary>
    public IReadOnlyList<Grant> Grants => [.. _grants.Values.OrderBy(g => g.At).ThenBy(g => g.Id.Value, StringComparer.Ordinal)];

    public IReadOnlyList<Grant> GrantsFor(SessionId session) => [.. Grants.Where(g => g.CoversSession(session))];

    public ApprovalRequested? FindPending(ApprovalId id) => _pending.Find(id);

    /// <summary>Whether this grant was ever added (live or since revoked): adding it again would be a duplicate.</summary>
    public bool HasHeld(GrantId id) => _grants.ContainsKey(id) || _revoked.ContainsKey(id);

    /// <summary>Applies one history event; events that do not concern approvals or grants leave the book unchanged.</summary>
    public ApprovalBook Apply(HistoryEvent evt) => evt switch
    {
        // Seen again after its answer or timeout (replayed history overlapping live events), a request stays closed.
        ApprovalRequested e when _answered.ContainsKey(e.ApprovalId) || _timedOut.ContainsKey(e.ApprovalId) => this,
        ApprovalRequested e => With(pending: _pending.Add(e)),
        ApprovalAnswered e when _answered.ContainsKey(e.ApprovalId) || _timedOut.ContainsKey(e.ApprovalId) => Close(e.ApprovalId),
        ApprovalTimedOut e when _answered.ContainsKey(e.ApprovalId) || _timedOut.ContainsKey(e.ApprovalId) => Close(e.ApprovalId),
        ApprovalAnswered e => Close(e.ApprovalId).With(answered: _answered.SetItem(e.ApprovalId, e)).Remember(e.ApprovalId),
        ApprovalTimedOut e => Close(e.ApprovalId).With(timedOut: _timedOut.SetItem(e.ApprovalId, e)).Remember(e.ApprovalId),
        // A call that ends another way (interrupted, failed) takes its open request with it.
        CallCompleted e => CloseCall(e.CallId),
        CallInterrupted e => CloseCall(e.CallId),
        GrantAdded e => AddGrant(Grant.From(e)),
        GrantRevoked e => RemoveGrant(e),
        _ => this,
    };

    /// <summary>
    /// Checks an operator's answer: the approval must exist, be pending, and its deadline must not have passed.
    /// A duplicate or stale answer is rejected with the first decision (answer or timeout).
    /// </summary>
    public ApprovalAnswerResult Answer(ApprovalAnswer answer, DateTimeOffset now)
    {
        if (_answered.TryGetValue(answer.ApprovalId, out var first))
            return ApprovalAnswerResult.Reject(new Rejection(RejectionCode.DuplicateAnswer,
                $"approval {answer.ApprovalId} was already answered: {(first.Approved ? "approved" : "denied")} by {first.AnsweredBy} at {first.AnsweredAt:O}",
                FirstAnswer: first));
        if (_timedOut.TryGetValue(answer.ApprovalId, out var timedOut))
            return ApprovalAnswerResult.Reject(new Rejection(RejectionCode.StaleAnswer,
                $"approval {answer.ApprovalId} timed out at {timedOut.Deadline:O}" +
                (timedOut.EscalatedTo is null ? " and the call was denied" : $" and was escalated to {timedOut.EscalatedTo}"),
                TimedOut: timedOut));
        if (_pending.Find(answer.ApprovalId) is not { } request)
            return ApprovalAnswerResult.Reject(new Rejection(RejectionCode.UnknownApproval, $"no pending approval {answer.ApprovalId}"));
        if (now >= request.Deadline)
            return ApprovalAnswerResult.Reject(new Rejection(RejectionCode.DeadlinePassed,
                $"approval {answer.ApprovalId} expired at {request.Deadline:O}; the timeout stands"));
        return ApprovalAnswerResult.Accept(request, GrantFor(request, answer, now));
    }

    /// <summary>
    /// The grant an approving answer creates; none for <c>once</c> or a denial. A team grant belongs to the team's parent
    /// session — the request's parent when a sub-agent asked, else the request's own session.
    /// </summary>
    public static GrantAdded? GrantFor(ApprovalRequested request, ApprovalAnswer answer, DateTimeOffset now)
    {
        if (!answer.Approved || answer.Scope == GrantScope.Once) return null;
        var subject = GrantSubject.Recorded(request.Tool, request.Subject, request.SubjectDigest);
        var session = answer.Scope == GrantScope.Team ? request.ParentSession ?? request.Session : request.Session;
        return new GrantAdded(GrantId.FromApproval(request.ApprovalId), answer.Scope, subject.RuleText, subject.Tool,
            subject.Subject, session, request.Agent, request.ApprovalId, answer.AnsweredBy, now, subject.Digest, request.Workspace);
    }

    /// <summary>Pending approvals whose deadline is at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<ApprovalRequested> DueTimeouts(DateTimeOffset now) =>
        [.. _pending.InOrder.TakeWhile(r => r.Deadline <= now)];

    /// <summary>The earliest pending deadline (for scheduling one timer), if any.</summary>
    public DateTimeOffset? NextDeadline => _pending.First?.Deadline;

    /// <summary>
    /// The live grant that answers an ask for this call, if any. Only asks are answered by grants — never a deny.
    /// <paramref name="call"/> is the real call (as it will run): grants match its real subject by digest.
    /// </summary>
    public Grant? Covers(ToolCall call, Decision decision)
    {
        if (decision != Decision.Ask || _grants.IsEmpty) return null;
        var subject = GrantSubject.From(call);
        if (!_grantsBySubject.TryGetValue(subject, out var ids)) return null;
        foreach (var id in ids)
            if (_grants[id].Covers(call)) return _grants[id];
        return null;
    }

    public Grant? Covers(ToolCall call, Verdict verdict) => Covers(call, verdict.Decision);

    public Grant? Covers(ToolCall call, VerdictSummary verdict) => Covers(call, verdict.Decision);

    public GrantRevocationResult Revoke(GrantId id, string by, string? reason, DateTimeOffset now)
    {
        if (_revoked.TryGetValue(id, out var revoked))
            return new GrantRevocationResult(null, $"grant {id} was already revoked by {revoked.By} at {revoked.At:O}");
        if (!_grants.TryGetValue(id, out var grant))
            return new GrantRevocationResult(null, $"no grant {id}");
        return new GrantRevocationResult(new GrantRevoked(id, grant.Scope, grant.RuleText, grant.Session, by, reason, now), null);
    }

    private ApprovalBook Close(ApprovalId id) => _pending.Find(id) is null ? this : With(pending: _pending.Remove(id));

    private ApprovalBook Remember(ApprovalId closed)
    {
        var order = _closedOrder.Enqueue(closed);
        var count = _closedCount + 1;
        var answered = _answered;
        var timedOut = _timedOut;
        while (count > ClosedRetention)
        {
            order = order.Dequeue(out var oldest);
            answered = answered.Remove(oldest);
            timedOut = timedOut.Remove(oldest);
            count--;
        }
        return new(_pending, answered, timedOut, _grants, _grantsBySubject, _revoked, order, count, ClosedRetention);
    }

    private ApprovalBook CloseCall(CallId callId)
    {
        var book = this;
        foreach (var id in _pending.OfCall(callId)) book = book.Close(id);
        return book;
    }

    private ApprovalBook AddGrant(Grant grant)
    {
        var ids = _grantsBySubject.GetValueOrDefault(grant.Subject, []);
        var book = _grants.ContainsKey(grant.Id) ? RemoveGrantIndex(grant.Id) : this;
        return book.With(grants: book._grants.SetItem(grant.Id, grant),
            grantsBySubject: book._grantsBySubject.SetItem(grant.Subject, ids.Remove(grant.Id).Add(grant.Id)));
    }

    private ApprovalBook RemoveGrant(GrantRevoked revoked) =>
        RemoveGrantIndex(revoked.GrantId).With(revoked: _revoked.SetItem(revoked.GrantId, revoked));

    private ApprovalBook RemoveGrantIndex(GrantId id)
    {
        if (!_grants.TryGetValue(id, out var grant)) return this;
        var ids = _grantsBySubject.GetValueOrDefault(grant.Subject, []).Remove(id);
        return With(grants: _grants.Remove(id),
            grantsBySubject: ids.IsEmpty ? _grantsBySubject.Remove(grant.Subject) : _grantsBySubject.SetItem(grant.Subject, ids));
    }

    private ApprovalBook With(
        PendingIndex? pending = null,
        ImmutableDictionary<ApprovalId, ApprovalAnswered>? answered = null,
        ImmutableDictionary<ApprovalId, ApprovalTimedOut>? timedOut = null,
        ImmutableDictionary<GrantId, Grant>? grants = null,
        ImmutableDictionary<GrantSubject, ImmutableArray<GrantId>>? grantsBySubject = null,
        ImmutableDictionary<GrantId, GrantRevoked>? revoked = null) =>
        new(pending ?? _pending, answered ?? _answered, timedOut ?? _timedOut,
            grants ?? _grants, grantsBySubject ?? _grantsBySubject, revoked ?? _revoked, _closedOrder, _closedCount, ClosedRetention);
}
