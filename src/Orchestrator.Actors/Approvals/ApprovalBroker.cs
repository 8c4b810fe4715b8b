using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Orchestrator.Actors.Hosting;
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
/// grants, then rebuilds the index from the tagged events in the journal, holding commands until it has; afterwards
/// sessions tell it what they persist. Applying an event twice changes nothing, and a grant is added idempotently (its
/// id derives from the approval id), so a crash between an answer and its grant is repaired on the next start.
/// </summary>
public sealed class ApprovalBroker : VerifiedPersistentActor
{
    public const string Name = "approvals";

    /// <summary>The journal tag of every event the index follows.</summary>
    public const string Tag = "approval";

    private readonly IActorRef _sessions;
    private readonly TimeProvider _clock;
    private ApprovalBook _book = ApprovalBook.Empty;
    /// <summary>Every approval ever seen, open or closed, so answers (even late duplicates) reach the call's session.</summary>
    private readonly Dictionary<ApprovalId, (SessionId Session, CallId Call)> _routes = [];

    public ApprovalBroker(IActorRef sessions, TimeProvider? clock = null)
    {
        _sessions = sessions;
        _clock = clock ?? TimeProvider.System;

        Recover<GrantAdded>(Apply);
        Recover<GrantRevoked>(Apply);
        Recover<RecoveryCompleted>(_ => LoadTaggedEvents());

        Ready();
    }

    public override string PersistenceId => Name;

    public const string StageName = "approvals";

    public static Props Props(IActorRef sessions, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new ApprovalBroker(sessions, clock));

    private void LoadTaggedEvents()
    {
        var journal = OrchestratorReadJournal.Of(Context.System);
        journal.CurrentEventsByTag(Tag, Offset.NoOffset())
            .Where(envelope => envelope.Event is CallEvent)
            .Select(envelope => (CallEvent)envelope.Event)
            .RunWith(Sink.Seq<CallEvent>(), Context.System.Materializer())
            .PipeTo(Self, success: events => new TaggedEventsLoaded(events), failure: e => new TaggedEventsFailed(e));
        BecomeStacked(() =>
        {
            Command<TaggedEventsLoaded>(msg =>
            {
                Follow([.. msg.Events]);
                UnbecomeStacked();
                Stash.UnstashAll();
            });
            // Without its index the broker cannot answer anything truthfully: fail, and let the supervisor restart it —
            // unless the system is shutting down under the read (a short `orchestrator run` ends during the rebuild).
            Command<TaggedEventsFailed>(msg =>
            {
                if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null) Context.Stop(Self);
                else throw new InvalidOperationException("rebuilding the approval index failed", msg.Cause);
            });
            Command<GetStageStatus>(_ => Sender.Tell(new StageStatus(StageName, false, "rebuilding the approval index from the journal")));
            CommandAny(_ => Stash.Stash());
        });
    }

    private void Ready()
    {
        Command<ApprovalEventsRecorded>(msg => Follow(msg.Events));
        Command<ListApprovals>(_ => Sender.Tell(new PendingApprovals([.. _book.Pending])));
        Command<SubmitApprovalAnswer>(msg =>
        {
            if (_routes.TryGetValue(msg.Answer.ApprovalId, out var route))
                _sessions.Forward(new AnswerApproval(route.Session, route.Call, msg.Answer));
            else
                Sender.Tell(new ApprovalNotFound(msg.Answer.ApprovalId));
        });
        Command<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
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
            Persist(revoked, e =>
            {
                Apply(e);
                replyTo.Tell(new GrantRevocationAnswered(msg.GrantId, e, null));
            });
        });
    }

    private void Follow(ImmutableArray<CallEvent> events)
    {
        var grants = new List<GrantAdded>();
        foreach (var evt in events)
        {
            try
            {
                var book = _book;
                if (evt is ApprovalAnswered answered && book.FindPending(answered.ApprovalId) is { } request &&
                    ApprovalBook.GrantFor(request, new ApprovalAnswer(answered.ApprovalId, answered.Approved, answered.Scope,
                        answered.Reason, answered.AnsweredBy), answered.AnsweredAt) is { } grant &&
                    !book.HasHeld(grant.GrantId))
                    grants.Add(grant);
                _book = book.Apply(evt);
                if (evt is ApprovalRequested requested) _routes[requested.ApprovalId] = (requested.Session, requested.CallId);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or FormatException)
            {
                // One unreadable event fails closed for its own approval (not listed, not answerable; the session still
                // times it out), never for the index: every other approval is still served.
                Context.GetLogger().Error("approval index: left out {0} of call {1}: {2}", evt.GetType().Name, evt.CallId, e.Message);
            }
        }
        if (grants.Count > 0) PersistAll(grants, Apply);
    }

    private sealed record TaggedEventsLoaded(IImmutableList<CallEvent> Events);

    private sealed record TaggedEventsFailed(Exception Cause);

    private void Apply(HistoryEvent evt) => _book = _book.Apply(evt);
}
