using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>Parent of the sessions: forwards each <see cref="ISessionMessage"/> to <c>sessions/&lt;sessionId&gt;</c>, created on demand.</summary>
public sealed class SessionRouter : GuardedStage
{
    public const string Name = "sessions";

    /// <summary>Sessions stopping after asking to passivate, with the messages that arrived for them meanwhile.</summary>
    private readonly Dictionary<string, List<(ISessionMessage Message, IActorRef Sender)>> _stopping = [];

    public SessionRouter(SessionServices services) : base(StageName)
    {
        var integrity = JournalIntegrity.Get(Context.System);
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        Receive<ISessionMessage>(msg =>
        {
            var name = ChildName(msg.Session);
            if (_stopping.TryGetValue(name, out var buffered))
            {
                buffered.Add((msg, Sender));
                return;
            }
            var child = Context.Child(name);
            if (child.IsNobody() && integrity.ClosedLine(AgentSessionActor.PersistenceIdOf(msg.Session)) is { } closed)
            {
                // Its journal failed verification: it stays closed, and says why at once.
                Sender.Tell(new Status.Failure(new JournalIntegrityException(closed)));
                return;
            }
            if (child.IsNobody())
                child = Context.ActorOf(AgentSessionActor.Props(msg.Session, services), name);
            child.Forward(msg);
        });
        // Hold new messages for the session and ask it to confirm: the confirmation queues behind whatever was forwarded
        // before, so the session stops only if those left it idle; otherwise it stays and the held messages go to it.
        Receive<PassivateSession>(msg =>
        {
            var name = ChildName(msg.Session);
            if (_stopping.ContainsKey(name) || Sender.IsNobody() || !Sender.Equals(Context.Child(name))) return;
            _stopping[name] = [];
            Context.Watch(Sender);
            Sender.Tell(new ConfirmPassivation(msg.Session));
        });
        Receive<PassivationCancelled>(msg =>
        {
            var name = ChildName(msg.Session);
            Context.Unwatch(Sender);
            if (_stopping.Remove(name, out var buffered)) Replay(buffered);
        });
        Receive<Terminated>(msg =>
        {
            if (_stopping.Remove(msg.ActorRef.Path.Name, out var buffered)) Replay(buffered);
        });
    }

    public const string StageName = "sessions";

    private void Replay(List<(ISessionMessage Message, IActorRef Sender)> buffered)
    {
        foreach (var (message, sender) in buffered) Self.Tell(message, sender);
    }

    /// <summary>The child's actor name: the session id, escaped where actor paths do not allow a character.</summary>
    public static string ChildName(SessionId session) => Uri.EscapeDataString(session.Value);

    public static Props Props(SessionServices services) => Akka.Actor.Props.Create(() => new SessionRouter(services));
}

/// <summary>A session → its router: I am idle and may stop. The router holds new messages for it and answers <see cref="ConfirmPassivation"/>.</summary>
public sealed record PassivateSession(SessionId Session);

/// <summary>Router → session: stop now if you are still idle (the router holds your messages), else answer <see cref="PassivationCancelled"/>.</summary>
public sealed record ConfirmPassivation(SessionId Session);

/// <summary>Session → router: work arrived meanwhile, I stay; send me what you held.</summary>
public sealed record PassivationCancelled(SessionId Session);
