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
/// <para>
/// Backed by the durable call directory (<see cref="ICallDirectory"/>, kept by the journal), so it is complete at once:
/// an id the table does not hold and that may have been recorded is looked up there (lookups asked meanwhile go
/// together, one query at a time) — a call of a session that is not awake is found, never "not found". The table itself
/// (<see cref="CallIdTable"/>) is shared with the sessions: once the filter of the ids recorded before start is loaded
/// they claim new ids in it directly, without a message and without a query; the index serves locates, registrations
/// and the claims the table cannot settle alone. A directory that cannot be read answers a locate
/// <see cref="CallIndexUnavailable"/> (ask again) and refuses a claim (uniqueness unproven).
/// </para>
/// </summary>
public sealed class CallIndex : GuardedStage
{
    public const string Name = "calls";

    private readonly CallIdTable _sessions;
    private readonly ICallDirectory _directory;
    /// <summary>Requests about ids the directory is asked about, and the ids waiting for the next query.</summary>
    private readonly Dictionary<CallId, List<(object Request, IActorRef Asker)>> _lookingUp = [];
    private readonly HashSet<CallId> _nextLookup = [];
    private bool _lookupInFlight;

    private readonly Task? _loadAfter;

    public CallIndex(CallIdTable table, ICallDirectory directory, Task? loadAfter = null) : base(StageName)
    {
        _sessions = table;
        _directory = directory;
        _loadAfter = loadAfter;
        Receive<CallsRegistered>(msg =>
        {
            foreach (var id in msg.Calls) _sessions.Register(id, msg.Session);
        });
        Receive<ClaimCall>(msg =>
        {
            if (!LookUpIfUnknown(msg.CallId, msg)) Answer(msg, Sender);
        });
        Receive<ReleaseCall>(msg => _sessions.Release(msg.CallId, msg.Session));
        Receive<LocateCall>(msg =>
        {
            if (!LookUpIfUnknown(msg.CallId, msg)) Answer(msg, Sender);
        });
        Receive<GetStageStatus>(_ => Sender.Tell(StageStatus.Up(StageName)));
        Receive<RecordedLoaded>(msg => _sessions.Complete(msg.Filter));
        Receive<LookedUp>(LookedUpAnswer);
    }

    public const string StageName = "call index";

    protected override void PreStart()
    {
        if (_sessions.IsComplete) return;
        var log = Context.GetLogger();
        // Loaded once start-up recovery has ended: until then its CPU would only slow the restart down.
        (_loadAfter ?? Task.CompletedTask).ContinueWith(_ => RecordedCallFilter.LoadAsync(_directory.AllCallIdsAsync()), TaskScheduler.Default).Unwrap()
            .PipeTo(Self, success: filter => new RecordedLoaded(filter), failure: e =>
            {
                // Claims keep going through the directory, one query per batch: slower, never wrong.
                log.Warning("the call index could not load the recorded call ids: {0}", e.Message);
                return Akka.Actor.Status.Success.Instance;
            });
    }

    /// <summary>An id the table cannot settle is looked up in the directory (batched with the others asked meanwhile).</summary>
    private bool LookUpIfUnknown(CallId id, object request)
    {
        // A new id (the filter of recorded ids says so) is answered from the table: no query per new call.
        if (_sessions.Holds(id) || !_sessions.MayBeRecordedElsewhere(id)) return false;
        if (!_lookingUp.TryGetValue(id, out var waiters))
        {
            _lookingUp[id] = waiters = [];
            _nextLookup.Add(id);
        }
        waiters.Add((request, Sender));
        LookUpNext();
        return true;
    }

    private void LookUpNext()
    {
        if (_lookupInFlight || _nextLookup.Count == 0) return;
        CallId[] ids = [.. _nextLookup];
        _nextLookup.Clear();
        _lookupInFlight = true;
        _directory.FindManyAsync(ids).PipeTo(Self,
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
            foreach (var (request, asker) in waiters)
            {
                if (msg.Failure is null) Answer(request, asker);
                else if (request is ClaimCall) asker.Tell(new CallNotAccepted(id, $"the call directory could not be read: {msg.Failure}"));
                else asker.Tell(new CallIndexUnavailable(id, $"the call directory could not be read: {msg.Failure}"));
            }
        }
        LookUpNext();
    }

    private void Answer(object request, IActorRef asker)
    {
        switch (request)
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

    /// <summary>The index over <paramref name="table"/> (shared with the sessions, see <see cref="SessionServices.CallIds"/>).</summary>
    /// <param name="loadAfter">The ids recorded before start are loaded once this completes (start-up recovery's end).</param>
    public static Props Props(CallIdTable table, ICallDirectory directory, Task? loadAfter = null) =>
        Akka.Actor.Props.Create(() => new CallIndex(table, directory, loadAfter));

    private sealed record RecordedLoaded(RecordedCallFilter Filter);

    private sealed record LookedUp(IReadOnlyCollection<CallId> Calls, IReadOnlyDictionary<CallId, CallPlace>? Places, string? Failure);
}

/// <summary>Told by a session: these calls are recorded in it.</summary>
public sealed record CallsRegistered(SessionId Session, IReadOnlyCollection<CallId> Calls);

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
/// recorded or claimed it), or <see cref="CallIndexUnavailable"/> (the call directory could not be read).
/// </summary>
public sealed record LocateCall(CallId CallId);

public sealed record CallLocated(CallId CallId, SessionId Session);

/// <summary>The index cannot tell: the call directory could not be read (ask again later).</summary>
public sealed record CallIndexUnavailable(CallId CallId, string Reason);
