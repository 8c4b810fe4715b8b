using Akka.Actor;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Where each call lives: call id → session, so clients can address a call by its id alone, and the one place a call id
/// is claimed: a session claims a new id (<see cref="ClaimCall"/>) before it records anything, so of concurrent
/// submissions of one id in different sessions exactly one is recorded; a session releases its claim when the
/// submission is refused before anything was recorded. Sessions register their calls again when they recover; a call
/// id belongs to the first session that claimed or recorded it. In memory only — rebuilt by the session wake-up at start.
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
        Receive<ClaimCall>(msg =>
        {
            if (_sessions.TryAdd(msg.CallId, msg.Session) || _sessions[msg.CallId] == msg.Session)
                Sender.Tell(new CallClaimed(msg.CallId));
            else
                Sender.Tell(new CallIdTaken(msg.CallId, _sessions[msg.CallId]));
        });
        Receive<ReleaseCall>(msg =>
        {
            if (_sessions.TryGetValue(msg.CallId, out var holder) && holder == msg.Session) _sessions.Remove(msg.CallId);
        });
        Receive<LocateCall>(msg => Sender.Tell(_sessions.TryGetValue(msg.CallId, out var session)
            ? new CallLocated(msg.CallId, session)
            : new CallNotFound(msg.CallId)));
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public const string StageName = "call index";

    protected override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(StageName, () => base.AroundReceive(receive, message), message, Sender, Context);

    public static Props Props() => Akka.Actor.Props.Create(() => new CallIndex());
}

/// <summary>Told by a session: these calls are recorded in it.</summary>
public sealed record CallsRegistered(SessionId Session, IReadOnlyCollection<CallId> Calls);

/// <summary>A session claims a new call id before recording it; answered with <see cref="CallClaimed"/> or <see cref="CallIdTaken"/>.</summary>
public sealed record ClaimCall(CallId CallId, SessionId Session);

/// <summary>The id is this session's (newly, or it already was).</summary>
public sealed record CallClaimed(CallId CallId);

/// <summary>
/// The id belongs to another session: the answer to <see cref="ClaimCall"/>, and to the submitter whose call was
/// therefore not recorded.
/// </summary>
public sealed record CallIdTaken(CallId CallId, SessionId Holder);

/// <summary>A session gives back a claim whose submission was refused before anything was recorded.</summary>
public sealed record ReleaseCall(CallId CallId, SessionId Session);

/// <summary>Asks which session holds a call; answered with <see cref="CallLocated"/> or <see cref="CallNotFound"/>.</summary>
public sealed record LocateCall(CallId CallId);

public sealed record CallLocated(CallId CallId, SessionId Session);
