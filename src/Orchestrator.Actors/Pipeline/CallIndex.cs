using Akka.Actor;
using Akka.Event;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Stages;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Where each call lives: call id → session, so clients can address a call by its id alone, and the one place a call id
/// is claimed: a session claims a new id (<see cref="ClaimCall"/>) before it records anything, so of concurrent
/// submissions of one id in different sessions exactly one is recorded; a session releases its claim when the
/// submission is refused before anything was recorded. A call id belongs to the first session that claimed or recorded it.
/// The table itself (<see cref="CallIdTable"/>) is shared with the sessions: once it is complete they claim new ids in
/// it directly, without a message; the index serves locates, registrations and the claims the table cannot settle alone.
/// <para>
/// With a call directory (<see cref="ICallDirectory"/>, kept by the journal) the index is complete at once: an id the
/// table does not hold is looked up in the directory (lookups made meanwhile go together, one query at a time), and the
/// table is complete for claims once the filter of every id recorded before start is loaded. A directory that cannot
/// be read answers a locate <see cref="CallIndexRecovering"/> (ask again) and refuses a claim (uniqueness unproven).
/// </para>
/// <para>
/// Without one, sessions register their calls when they recover and until that wake-up has ended
/// (<see cref="CallIndexComplete"/>) an id the index does not hold may still be in the journal: a
/// <see cref="LocateCall"/> for it waits (bounded by its <see cref="LocateCall.WaitWhileRecovering"/>) for the session
/// that registers it, and is answered <see cref="CallIndexRecovering"/> when the wait ends first — never
/// <see cref="CallNotFound"/>; a <see cref="ClaimCall"/> for it is answered once it is known whether another session
/// recorded it.
/// </para>
/// </summary>
public sealed class CallIndex : ReceiveActor, IWithTimers
{
    public const string Name = "calls";

    private readonly CallIdTable _sessions;
    private readonly ICallDirectory? _directory;
    /// <summary>With a directory: requests for ids it is asked about, and those waiting for the next query.</summary>
    private readonly Dictionary<CallId, List<Waiter>> _lookingUp = [];
    private readonly HashSet<CallId> _nextLookup = [];
    private bool _lookupInFlight;
    /// <summary>Until the index is complete: askers of ids not known yet, waiting for a session to register them.</summary>
    private readonly Dictionary<CallId, List<Waiter>> _waiting = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public CallIndex(CallIdTable table, ICallDirectory? directory = null)
    {
        _sessions = table;
        _directory = directory;
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
            if (LookUpIfUnknown(msg.CallId, msg)) return;
            if (!WaitIfUnknown(msg.CallId, msg, null)) Answer(new Waiter(msg, Sender));
        });
        Receive<ReleaseCall>(msg => _sessions.Release(msg.CallId, msg.Session));
        Receive<LocateCall>(msg =>
        {
            if (LookUpIfUnknown(msg.CallId, msg)) return;
            if (!WaitIfUnknown(msg.CallId, msg, msg.WaitWhileRecovering)) Answer(new Waiter(msg, Sender));
        });
        Receive<WaitEnded>(msg =>
        {
            if (!_waiting.TryGetValue(msg.Waiter.CallId, out var waiters) || !waiters.Remove(msg.Waiter)) return;
            msg.Waiter.Asker.Tell(new CallIndexRecovering(msg.Waiter.CallId));
            if (waiters.Count == 0) _waiting.Remove(msg.Waiter.CallId);
        });
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        Receive<RecordedLoaded>(msg => _sessions.Complete(msg.Filter));
        Receive<LookedUp>(msg => LookedUpAnswer(msg));
    }

    protected override void PreStart()
    {
        if (_directory is null || _sessions.IsComplete) return;
        var log = Context.GetLogger();
        RecordedCallFilter.LoadAsync(_directory.AllCallIdsAsync())
            .PipeTo(Self, success: filter => new RecordedLoaded(filter), failure: e =>
            {
                // Claims keep going through the directory, one query per batch: slower, never wrong.
                log.Warning("the call index could not load the recorded call ids: {0}", e.Message);
                return Akka.Actor.Status.Success.Instance;
            });
    }

    public const string StageName = "call index";

    /// <summary>With a directory, an id the table cannot settle is looked up there (batched with the others asked meanwhile).</summary>
    private bool LookUpIfUnknown(CallId id, object request)
    {
        // A new id (the filter of recorded ids says so) is answered from the table: no query per new call.
        if (_directory is null || _sessions.Holds(id) || !_sessions.MayBeRecordedElsewhere(id)) return false;
        if (!_lookingUp.TryGetValue(id, out var waiters))
        {
            _lookingUp[id] = waiters = [];
            _nextLookup.Add(id);
        }
        waiters.Add(new Waiter(request, Sender));
        LookUpNext();
        return true;
    }

    private void LookUpNext()
    {
        if (_lookupInFlight || _nextLookup.Count == 0) return;
        CallId[] ids = [.. _nextLookup];
        _nextLookup.Clear();
        _lookupInFlight = true;
        _directory!.FindManyAsync(ids).PipeTo(Self,
            success: places => new LookedUp(ids, places, null),
            failure: e => new LookedUp(ids, null, e.Message));
    }

    private void LookedUpAnswer(LookedUp msg)
    {
        _lookupInFlight = false;
        foreach (var id in msg.Calls)
        {
            if (msg.Places?.TryGetValue(id, out var place) == true) _sessions.Register(id, place.Session);
            if (!_lookingUp.Remove(id, out var waiters)) continue;
            foreach (var waiter in waiters)
            {
                if (msg.Failure is null) Answer(waiter);
                else if (waiter.Request is ClaimCall) waiter.Asker.Tell(new CallNotAccepted(id, $"the call directory could not be read: {msg.Failure}"));
                else waiter.Asker.Tell(new CallIndexRecovering(id));
            }
        }
        LookUpNext();
    }

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
                asker.Tell(_sessions.Claim(claim.CallId, claim.Session));
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
    public static Props Props(CallIdTable table, ICallDirectory? directory = null) =>
        Akka.Actor.Props.Create(() => new CallIndex(table, directory));

    /// <summary>One waiting ask; compared by reference, so equal requests wait (and time out) each on its own.</summary>
    private sealed class Waiter(object request, IActorRef asker)
    {
        public object Request { get; } = request;
        public IActorRef Asker { get; } = asker;
        public CallId CallId => Request switch { ClaimCall c => c.CallId, LocateCall l => l.CallId, _ => throw new InvalidOperationException() };
    }

    private sealed record WaitEnded(Waiter Waiter);

    private sealed record RecordedLoaded(RecordedCallFilter Filter);

    private sealed record LookedUp(IReadOnlyCollection<CallId> Calls, IReadOnlyDictionary<CallId, CallPlace>? Places, string? Failure);
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
public sealed record CallClaimed(CallId CallId)
{
    /// <summary>The session held it already: recorded there before (maybe no longer in its memory), or claimed and not released.</summary>
    public bool AlreadyHeld { get; init; }
}

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

/// <summary>
/// The index cannot tell yet: sessions are still recovering and the call may be in one of them, or the call directory
/// could not be read (ask again later).
/// </summary>
public sealed record CallIndexRecovering(CallId CallId);
