using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Approvals;

/// <summary>
/// <c>approvals</c>: the index of pending approvals and live grants (an <see cref="ApprovalBook"/>). The sessions are the
/// authority for each call and persist its events, tagging the approval ones <see cref="Tag"/>; the broker persists
/// only what belongs to no call — grants (persistence id <c>approvals</c>). On every start (and restart) it recovers its
/// grants, then reads the unsettled approvals from the durable approval index (<see cref="IApprovalIndex"/>, kept by
/// the journal in the same transaction as the events, each request read back from its sealed row) — not every
/// approval event ever written — holding commands until it has; afterwards sessions tell it what they persist.
/// Applying an event twice changes nothing, and a grant is added idempotently (its id derives from the approval id),
/// so a crash between an answer and its grant is repaired on the next start (the index keeps such an answer unsettled
/// until the grant is written). A session waiting only for an operator is not woken at start: the broker routes an
/// answer to it (waking it) and wakes it at the request's deadline, a bounded number at a time. An answer to an
/// approval it no longer holds (settled, or not yet told) is routed through the index, so the call's session answers
/// it — a duplicate or stale answer is rejected there with the decision that stands. Each always grant's rule goes to
/// the <see cref="AlwaysRuleWriter"/> once it is persisted, and every live one again at each start (the write is
/// idempotent), so a crash between a grant and its file write is repaired; a revoked one's rule is taken out.
/// </summary>
public sealed partial class ApprovalBroker : VerifiedPersistentActor, IWithTimers
{
    public const string Name = "approvals";

    /// <summary>The journal tag of every event the index follows.</summary>
    public const string Tag = "approval";

    private readonly IActorRef _sessions;
    private readonly TimeProvider _clock;
    private readonly IApprovalIndex? _index;
    private readonly IActorRef? _alwaysRules;
    private readonly IApprovalNotifier? _notifier;
    private ApprovalBook _book = ApprovalBook.Empty;

    private readonly TaskCompletionSource? _loaded;

    public ApprovalBroker(IActorRef sessions, TimeProvider? clock = null, IApprovalIndex? index = null, TaskCompletionSource? loaded = null,
        IActorRef? alwaysRules = null, IApprovalNotifier? notifier = null)
    {
        _loaded = loaded;
        _alwaysRules = alwaysRules;
        _notifier = notifier;
        _sessions = sessions;
        _clock = clock ?? TimeProvider.System;
        _index = index;
        _wakes = new SessionWakes(sessions, WakeParallelism, WakeTimeout);

        Recover<GrantAdded>(Apply);
        Recover<GrantRevoked>(Apply);
        Recover<RecoveryCompleted>(_ => LoadIndex());

        Ready();
    }

    private IApprovalIndex Index => _index ?? CallDirectory.Get(Context.System);

    public override string PersistenceId => Name;

    public const string StageName = "approvals";

    /// <param name="index">The durable approval index (default: the journal's, <see cref="CallDirectory"/>).</param>
    /// <param name="loaded">Completed once the broker has read the index the first time (work that may wait starts then).</param>
    /// <param name="alwaysRules">The <see cref="AlwaysRuleWriter"/>; null writes no rule files.</param>
    /// <param name="notifier">Told of each new pending approval (the webhook channel); null tells nobody.</param>
    public static Props Props(IActorRef sessions, TimeProvider? clock = null, IApprovalIndex? index = null, TaskCompletionSource? loaded = null,
        IActorRef? alwaysRules = null, IApprovalNotifier? notifier = null) =>
        Akka.Actor.Props.Create(() => new ApprovalBroker(sessions, clock, index, loaded, alwaysRules, notifier));

    private void LoadIndex()
    {
        Index.UnsettledAsync().PipeTo(Self, success: unsettled => new IndexLoaded(unsettled), failure: e => new IndexFailed(e));
        BecomeStacked(() =>
        {
            Command<IndexLoaded>(msg =>
            {
                var log = Context.GetLogger();
                foreach (var problem in msg.Unsettled.Problems) log.Error("approval index: {0}", problem);
                Follow([.. msg.Unsettled.Pending], announce: false);
                foreach (var (request, answer) in msg.Unsettled.GrantsDue) Follow([request, answer], announce: false);
                foreach (var grant in _book.Grants) WriteRule(grant);
                // Their own recovery settles what could not be read here (or closes the session, saying why).
                foreach (var session in msg.Unsettled.SessionsToWake) _wakes.Enqueue(session);
                _wakes.Pump(Self);
                ScheduleDeadlineWake();
                _loaded?.TrySetResult();
                UnbecomeStacked();
                Stash.UnstashAll();
            });
            // Without its index the broker cannot answer anything truthfully: fail, and let the supervisor restart it —
            // unless the system is shutting down under the read (a short `orchestrator run` ends during the rebuild).
            Command<IndexFailed>(msg =>
            {
                if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null) Context.Stop(Self);
                else throw new InvalidOperationException("reading the approval index failed", msg.Cause);
            });
            Command<GetStageStatus>(_ => Sender.Tell(new StageStatus(StageName, false, "reading the pending approvals from the approval index")));
            CommandAny(_ => Stash.Stash());
        });
    }

    private void Ready()
    {
        Command<ApprovalEventsRecorded>(msg =>
        {
            Follow(msg.Events);
            ScheduleDeadlineWake();
        });
        Command<ListApprovals>(msg => Sender.Tell(_book.Page(msg.Query)));
        Command<SubmitApprovalAnswer>(Route);
        Command<ApprovalRouteFound>(Routed);
        Command<DeadlinesDue>(_ => WakeForDeadlines());
        Command<SessionAwake>(msg =>
        {
            if (_wakes.Answered(msg.Session)) _wakes.Pump(Self);
        });
        Command<SessionWakeFailed>(msg =>
        {
            if (!_wakes.Answered(msg.Session)) return;
            Context.GetLogger().Warning("approvals: session {0} did not wake for its approval deadline: {1}", msg.Session, msg.Reason);
            _wakes.Pump(Self);
        });
        Command<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        Command<AlwaysRuleWritten>(_ => { });
        Command<FindGrant>(msg =>
        {
            // A call the grants cannot be matched against fails alone; the index stays up for every other call.
            try { Sender.Tell(new GrantLookup(msg.Call.Id, _book.Covers(msg.Call, msg.Decision))); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or FormatException)
            {
                Sender.Tell(new StageRefused(StageName, $"{e.GetType().Name}: {e.Message}") { CallId = msg.ScopedCallId });
            }
        });
        Command<ListGrants>(_ => Sender.Tell(new CurrentGrants(_book.Grants)));
        Command<RevokeGrant>(msg =>
        {
            var result = _book.Revoke(msg.GrantId, msg.By, msg.Reason, _clock.GetUtcNow());
            if (result.Event is not { } revoked)
            {
                Sender.Tell(new GrantRevocationAnswered(msg.GrantId, null, result.Rejection));
                return;
            }
            var replyTo = Sender;
            var workspace = _book.Grants.FirstOrDefault(g => g.Id == msg.GrantId)?.Workspace;
            Persist(revoked, e =>
            {
                Apply(e);
                if (e.Scope == GrantScope.Always) _alwaysRules?.Tell(new RemoveAlwaysRule(e.GrantId, workspace, e.RuleText), Self);
                replyTo.Tell(new GrantRevocationAnswered(msg.GrantId, e, null));
            });
        });
    }

    /// <param name="announce">Whether requests new to the book are told to the notifier (not for what the index replays at start).</param>
    private void Follow(ImmutableArray<CallEvent> events, bool announce = true)
    {
        var grants = new List<GrantAdded>();
        List<ApprovalRequested>? fresh = null;
        foreach (var evt in events)
        {
            try
            {
                var book = _book;
                if (announce && _notifier is not null && evt is ApprovalRequested requested && book.FindPending(requested.ApprovalId) is null)
                    (fresh ??= []).Add(requested);
                if (evt is ApprovalAnswered answered && book.FindPending(answered.ApprovalId) is { } request &&
                    ApprovalBook.GrantFor(request, new ApprovalAnswer(answered.ApprovalId, answered.Approved, answered.Scope,
                        answered.Reason, answered.AnsweredBy), answered.AnsweredAt) is { } grant &&
                    !book.HasHeld(grant.GrantId))
                    grants.Add(grant);
                _book = book.Apply(evt);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or FormatException)
            {
                // One unreadable event fails closed for its own approval (not listed, not answerable; the session still
                // times it out), never for the index: every other approval is still served.
                Context.GetLogger().Error("approval index: left out {0} of call {1}: {2}", evt.GetType().Name, evt.CallId, e.Message);
            }
        }
        // Only what is still pending after the whole batch: a request answered in the same write (an automatic approver) is not news.
        foreach (var request in fresh ?? [])
            if (_book.FindPending(request.ApprovalId) is not null) _notifier!.Notify(request);
        if (grants.Count > 0) PersistAll(grants, e =>
        {
            Apply(e);
            WriteRule(Grant.From(e));
        });
    }

    private void WriteRule(Grant grant)
    {
        if (grant.Scope == GrantScope.Always) _alwaysRules?.Tell(WriteAlwaysRule.Of(grant), Self);
    }

    private sealed record IndexLoaded(UnsettledApprovals Unsettled);

    private sealed record IndexFailed(Exception Cause);

    private void Apply(HistoryEvent evt) => _book = _book.Apply(evt);
}
