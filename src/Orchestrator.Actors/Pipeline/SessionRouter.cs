using Akka.Actor;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Parent of the sessions: forwards each <see cref="ISessionMessage"/> to <c>sessions/&lt;sessionId&gt;</c>, created on demand.</summary>
public sealed class SessionRouter : ReceiveActor
{
    public const string Name = "sessions";

    public SessionRouter(SessionServices services)
    {
        Receive<ISessionMessage>(msg =>
        {
            var name = ChildName(msg.Session);
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(AgentSessionActor.Props(msg.Session, services), name);
            child.Forward(msg);
        });
    }

    /// <summary>The child's actor name: the session id, escaped where actor paths do not allow a character.</summary>
    public static string ChildName(SessionId session) => Uri.EscapeDataString(session.Value);

    public static Props Props(SessionServices services) => Akka.Actor.Props.Create(() => new SessionRouter(services));
}
