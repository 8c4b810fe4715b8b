using Akka.Actor;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Parent of the sessions: forwards each <see cref="ISessionMessage"/> to <c>sessions/&lt;sessionId&gt;</c>, created on demand.</summary>
public sealed class SessionRouter : ReceiveActor
{
    public const string Name = "sessions";

    public SessionRouter(IActorRef policy, AutomaticApprover? approver)
    {
        Receive<ISessionMessage>(msg =>
        {
            var name = ChildName(msg.Session);
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(AgentSessionActor.Props(msg.Session, policy, approver), name);
            child.Forward(msg);
        });
    }

    /// <summary>The child's actor name: the session id, escaped where actor paths do not allow a character.</summary>
    public static string ChildName(SessionId session) => Uri.EscapeDataString(session.Value);

    public static Props Props(IActorRef policy, AutomaticApprover? approver) =>
        Akka.Actor.Props.Create(() => new SessionRouter(policy, approver));
}
