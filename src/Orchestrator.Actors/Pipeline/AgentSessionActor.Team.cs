using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Agent teams: a session may name its parent with its first call (ingress checked that the parent's owner is the same
/// agent or declared this one its sub-agent, see <see cref="SubmitCall.ParentAgent"/>). The session records the
/// declaration (<see cref="SessionParentDeclared"/>) before that call's events, never changes it afterwards, and sets
/// the parent on every call it receives, so grants of the parent's session and team grants cover them.
/// </summary>
public sealed partial class AgentSessionActor
{
    private SessionParentDeclared? _parent;

    private void ReceiveTeam()
    {
        Recover<SessionParentDeclared>(declared =>
        {
            _parent = declared;
            _owner ??= declared.Agent;
        });
        Command<GetSessionTeam>(_ => Sender.Tell(new SessionTeam(Session, _owner, _parent?.Parent)));
    }

    /// <summary>
    /// Places a new submission in the team: the submission to admit now, carrying the session's parent; null when it is
    /// refused (told to <paramref name="replyTo"/>) or when it declares the parent, which is recorded first (then it
    /// is admitted).
    /// </summary>
    private SubmitCall? InTeam(SubmitCall msg, IActorRef replyTo)
    {
        var declared = msg.Call.ParentSession;
        if (declared is null) return _parent is null ? msg : msg with { Call = msg.Call with { ParentSession = _parent.Parent } };
        if (ParentProblem(declared.Value, msg.ParentAgent) is { } problem)
        {
            replyTo.Tell(new SessionParentRefused(msg.Call.Id, Session, _parent?.Parent, problem));
            return null;
        }
        if (_parent is not null) return msg;
        _owner ??= msg.Call.Agent;
        Persist(new SessionParentDeclared(Session, declared.Value, msg.Call.Agent, msg.ParentAgent!.Value, msg.Call.Id, Now), recorded =>
        {
            _parent = recorded;
            Admit(msg, replyTo);
        });
        return null;
    }

    private string? ParentProblem(SessionId declared, AgentId? parentAgent)
    {
        if (declared == Session) return $"session {Session} cannot be its own parent";
        if (_parent is { } current)
            return current.Parent == declared ? null
                : $"session {Session} already has parent session {current.Parent}; a session's parent never changes";
        if (_owner is not null)
            return $"session {Session} began without a parent; a parent session is declared only with a session's first call";
        // A declaration ingress did not check is never taken (fail closed).
        return parentAgent is null ? $"the parent session {declared} of session {Session} was not checked by the server" : null;
    }
}
