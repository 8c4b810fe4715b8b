using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Approvals;

/// <summary>
/// <c>approvals</c>: the index of pending approvals and live grants (an <see cref="ApprovalBook"/>). Call events come
/// from the sessions that own them (the sessions are the authority for each call and persist those events); the
/// broker persists only what belongs to no call — grants (persistence id <c>approvals</c>). A session or always answer
/// adds its grant idempotently (the grant id derives from the approval id), so a crash between the session's answer
/// and the grant is repaired when the session replays the answer.
/// </summary>
public sealed class ApprovalBroker : ReceivePersistentActor
{
    public const string Name = "approvals";

    private readonly IActorRef _sessions;
    private readonly TimeProvider _clock;
    private ApprovalBook _book = ApprovalBook.Empty;
    /// <summary>Every approval ever seen, open or closed, so answers (even late duplicates) reach the call's session.</summary>
    private readonly Dictionary<ApprovalId, (SessionId Session, CallId Call)> _routes = [];
    private readonly HashSet<GrantId> _grantsEverAdded = [];

    public ApprovalBroker(IActorRef sessions, TimeProvider? clock = null)
    {
        _sessions = sessions;
        _clock = clock ?? TimeProvider.System;

        Recover<GrantAdded>(Apply);
        Recover<GrantRevoked>(Apply);

        Command<ApprovalEventsRecorded>(msg => Follow(msg.Events));
        Command<ListApprovals>(_ => Sender.Tell(new PendingApprovals([.. _book.Pending])));
        Command<SubmitApprovalAnswer>(msg =>
        {
            if (_routes.TryGetValue(msg.Answer.ApprovalId, out var route))
                _sessions.Forward(new AnswerApproval(route.Session, route.Call, msg.Answer));
            else
                Sender.Tell(new ApprovalNotFound(msg.Answer.ApprovalId));
        });
        Command<FindGrant>(msg => Sender.Tell(new GrantLookup(_book.Covers(msg.Call, msg.Decision))));
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

    public override string PersistenceId => Name;

    public static Props Props(IActorRef sessions, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new ApprovalBroker(sessions, clock));

    private void Follow(ImmutableArray<CallEvent> events)
    {
        var grants = new List<GrantAdded>();
        foreach (var evt in events)
        {
            if (evt is ApprovalRequested requested) _routes[requested.ApprovalId] = (requested.Session, requested.CallId);
            if (evt is ApprovalAnswered answered && _book.FindPending(answered.ApprovalId) is { } request &&
                ApprovalBook.GrantFor(request, new ApprovalAnswer(answered.ApprovalId, answered.Approved, answered.Scope,
                    answered.Reason, answered.AnsweredBy), answered.AnsweredAt) is { } grant &&
                _grantsEverAdded.Add(grant.GrantId))
                grants.Add(grant);
            _book = _book.Apply(evt);
        }
        if (grants.Count > 0) PersistAll(grants, Apply);
    }

    private void Apply(HistoryEvent evt)
    {
        if (evt is GrantAdded added) _grantsEverAdded.Add(added.GrantId);
        _book = _book.Apply(evt);
    }
}
