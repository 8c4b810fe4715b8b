using Akka.Actor;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Where each call lives: call id → session, so clients can address a call by its id alone. Sessions register their
/// calls after the first persist and again when they recover; a call id belongs to the first session that recorded it.
/// In memory only — rebuilt by the session wake-up at start.
/// </summary>
public sealed class CallIndex : ReceiveActor
{
    public const string Name = "calls";

    private readonly Dictionary<CallId, SessionId> _sessions = [];

    public CallIndex()
    {
        Receive<CallsRegistered>(msg =>
        {
            foreach (var id in msg.Calls) _sessions.TryAdd(id, msg.Session);
        });
        Receive<LocateCall>(msg => Sender.Tell(_sessions.TryGetValue(msg.CallId, out var session)
            ? new CallLocated(msg.CallId, session)
            : new CallNotFound(msg.CallId)));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CallIndex());
}

/// <summary>Told by a session: these calls are recorded in it.</summary>
public sealed record CallsRegistered(SessionId Session, IReadOnlyCollection<CallId> Calls);

/// <summary>Asks which session holds a call; answered with <see cref="CallLocated"/> or <see cref="CallNotFound"/>.</summary>
public sealed record LocateCall(CallId CallId);

public sealed record CallLocated(CallId CallId, SessionId Session);
