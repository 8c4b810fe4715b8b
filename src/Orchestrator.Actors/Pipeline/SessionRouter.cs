using Akka.Actor;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Parent of the sessions: forwards each <see cref="ISessionMessage"/> to <c>sessions/&lt;sessionId&gt;</c>, created on demand.</summary>
public sealed class SessionRouter : ReceiveActor
{
    public const string Name = "sessions";

    /// <summary>Sessions stopping after asking to passivate, with the messages that arrived for them meanwhile.</summary>
    private readonly Dictionary<string, List<(ISessionMessage Message, IActorRef Sender)>> _stopping = [];

    public SessionRouter(SessionServices services)
    {
        Receive<ISessionMessage>(msg =>
        {
            var name = ChildName(msg.Session);
            if (_stopping.TryGetValue(name, out var buffered))
            {
                buffered.Add((msg, Sender));
                return;
            }
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(AgentSessionActor.Props(msg.Session, services), name);
            child.Forward(msg);
        });
        // Stop the session after whatever is already in its mailbox; hold what comes meanwhile and replay it to a fresh one.
        Receive<PassivateSession>(msg =>
        {
            var name = ChildName(msg.Session);
            if (_stopping.ContainsKey(name) || Sender.IsNobody() || !Sender.Equals(Context.Child(name))) return;
            _stopping[name] = [];
            Context.Watch(Sender);
            Sender.Tell(PoisonPill.Instance);
        });
        Receive<Terminated>(msg =>
        {
            if (!_stopping.Remove(msg.ActorRef.Path.Name, out var buffered)) return;
            foreach (var (message, sender) in buffered) Self.Tell(message, sender);
        });
    }

    /// <summary>The child's actor name: the session id, escaped where actor paths do not allow a character.</summary>
    public static string ChildName(SessionId session) => Uri.EscapeDataString(session.Value);

    public static Props Props(SessionServices services) => Akka.Actor.Props.Create(() => new SessionRouter(services));
}

/// <summary>A session → its router: I am idle, stop me (messages for me that arrive meanwhile must wait for my successor).</summary>
public sealed record PassivateSession(SessionId Session);
