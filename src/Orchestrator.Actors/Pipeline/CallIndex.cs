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
/// The table itself (<see cref="CallIdTable"/>) is shared with the sessions: once it is complete they claim new ids in
/// it directly, without a message; the index serves locates, registrations and the claims made while it is incomplete.
/// <para>
/// Until that wake-up has ended (<see cref="CallIndexComplete"/>) an id the index does not hold may still be in the
/// journal: a <see cref="LocateCall"/> for it waits (bounded by its <see cref="LocateCall.WaitWhileRecovering"/>) for
/// the session that registers it, and is answered <see cref="CallIndexRecovering"/> when the wait ends first — never
/// <see cref="CallNotFound"/>; a <see cref="ClaimCall"/> for it is answered once it is known whether another session
/// recorded it.
/// </para>
/// </summary>
public sealed class CallIndex : ReceiveActor, IWithTimers
{
    public const string Name = "calls";

    private readonly CallIdTable _sessions;
    /// <summary>Until the index is complete: askers of ids not known yet, waiting for a session to register them.</summary>
    private readonly Dictionary<CallId, List<Waiter>> _waiting = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public CallIndex(CallIdTable table)
    {
        _sessions = table;
        Receive<CallsRegistered>(msg =>
        {
            foreach (var id in msg.Calls)
            {
                _sessions.Register(id, msg.Session);
                if (_waiting.Remove(id, out var waiters))
                    foreach (var waiter in waiters) Answer(waiter);
            }
        });
        Receive<CallIndexComplete>(_ =>
        {
            _sessions.Complete();
            foreach (var (_, waiters) in _waiting)
                foreach (var waiter in waiters) Answer(waiter);
            _waiting.Clear();
        });
        Receive<ClaimCall>(msg =>
        {
            if (!WaitIfUnknown(msg.CallId, msg, null)) Answer(new Waiter(msg, Sender));
        });
        Receive<ReleaseCall>(msg => _sessions.Release(msg.CallId, msg.Session));
        Receive<LocateCall>(msg =>
        {
            if (!WaitIfUnknown(msg.CallId, msg, msg.WaitWhileRecovering)) Answer(new Waiter(msg, Sender));
        });
        Receive<WaitEnded>(msg =>
        {
            if (!_waiting.TryGetValue(msg.Waiter.CallId, out var waiters) || !waiters.Remove(msg.Waiter)) return;
            msg.Waiter.Asker.Tell(new CallIndexRecovering(msg.Waiter.CallId));
            if (waiters.Count == 0) _waiting.Remove(msg.Waiter.CallId);
        });
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
    }

    public const string StageName = "call index";

    /// <summary>While the index is incomplete an unknown id waits; a locate with no wait is answered at once as recovering.</summary>
    private bool WaitIfUnknown(CallId id, object request, TimeSpan? wait)
    {
        if (_sessions.IsComplete || _sessions.Holds(id)) return false;
        if (request is LocateCall && wait is not { Ticks: > 0 })
        {
            Sender.Tell(new CallIndexRecovering(id));
            return true;
        }
        if (!_waiting.TryGetValue(id, out var waiters)) _waiting[id] = waiters = [];
        var waiter = new Waiter(request, Sender);
        waiters.Add(waiter);
        if (wait is { } bound) Timers.StartSingleTimer(waiter, new WaitEnded(waiter), bound);
        return true;
    }

    private void Answer(Waiter waiter)
    {
        Timers.Cancel(waiter);
        var asker = waiter.Asker;
        switch (waiter.Request)
        {
            case ClaimCall claim:
                asker.Tell(_sessions.Claim(claim.CallId, claim.Session) is { } holder
                    ? new CallIdTaken(claim.CallId, holder)
                    : new CallClaimed(claim.CallId));
                break;
            case LocateCall locate:
                asker.Tell(_sessions.SessionOf(locate.CallId) is { } session
                    ? new CallLocated(locate.CallId, session)
                    : new CallNotFound(locate.CallId));
                break;
        }
    }

    protected override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(StageName, () => base.AroundReceive(receive, message), message, Sender, Context);

    /// <param name="awaitsRecovery">
    /// True when sessions in a journal will register their calls (<see cref="SessionRecovery"/> then sends
    /// <see cref="CallIndexComplete"/>); false: the index is complete from the start (nothing to recover).
    /// </param>
    public static Props Props(bool awaitsRecovery = false) => Props(new CallIdTable(complete: !awaitsRecovery));

    /// <summary>The index over <paramref name="table"/> (shared with the sessions, see <see cref="SessionServices.CallIds"/>).</summary>
    public static Props Props(CallIdTable table) => Akka.Actor.Props.Create(() => new CallIndex(table));

    /// <summary>One waiting ask; compared by reference, so equal requests wait (and time out) each on its own.</summary>
    private sealed class Waiter(object request, IActorRef asker)
    {
        public object Request { get; } = request;
        public IActorRef Asker { get; } = asker;
        public CallId CallId => Request switch { ClaimCall c => c.CallId, LocateCall l => l.CallId, _ => throw new InvalidOperationException() };
    }

    private sealed record WaitEnded(Waiter Waiter);
}

/// <summary>Told by a session: these calls are recorded in it.</summary>
public sealed record CallsRegistered(SessionId Session, IReadOnlyCollection<CallId> Calls);

/// <summary>Told by <see cref="SessionRecovery"/> once every session in the journal has registered its calls.</summary>
public sealed record CallIndexComplete
{
    public static CallIndexComplete Instance { get; } = new();
}

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

/// <summary>
/// Asks which session holds a call; answered with <see cref="CallLocated"/>, <see cref="CallNotFound"/> (no session
/// holds it), or — while sessions are still recovering and none has registered it within
/// <paramref name="WaitWhileRecovering"/> — <see cref="CallIndexRecovering"/>.
/// </summary>
public sealed record LocateCall(CallId CallId, TimeSpan? WaitWhileRecovering = null);

public sealed record CallLocated(CallId CallId, SessionId Session);

/// <summary>The index cannot tell yet: sessions are still recovering and the call may be in one of them (ask again later).</summary>
public sealed record CallIndexRecovering(CallId CallId);
