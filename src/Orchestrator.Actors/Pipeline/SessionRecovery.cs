using Akka.Actor;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// <c>recovery</c>: at start, wakes the sessions that have unfinished calls (running or undecided, as the call directory
/// lists them) so the recovery table is applied at once (interrupted runs recorded, decisions re-run) rather than
/// whenever a client next touches the session; a session with nothing unfinished is not woken (its calls are found
/// through the directory), nor one whose unfinished calls only wait for an operator (the approval broker wakes it for
/// an answer or at the request's deadline). Wakes a bounded number at a time. Answers
/// <see cref="GetRecoveryStatus"/>; the server is ready only when this is done. <see cref="NotifyWhenRecovered"/> is
/// answered once recovery has ended (done, or the sessions could not be listed) — a wait without polling.
/// </summary>
public sealed class SessionRecovery : ReceiveActor
{
    public const string Name = "recovery";
    private const string SessionPrefix = "session-";
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(60);

    private readonly ICallDirectory _directory;
    private readonly Task? _gate;
    private readonly SessionWakes _wakes;
    private int _woken;
    private int _found;
    private bool _listed;
    private string? _failure;
    private readonly List<IActorRef> _waiters = [];

    private readonly TaskCompletionSource? _ended;

    public SessionRecovery(IActorRef sessions, ICallDirectory directory, int parallelism, Task? gate = null, TaskCompletionSource? ended = null)
    {
        _ended = ended;
        _directory = directory;
        _gate = gate;
        _wakes = new SessionWakes(sessions, parallelism, WakeTimeout);

        Receive<SessionsListed>(msg =>
        {
            foreach (var id in msg.Sessions) _wakes.Enqueue(id);
            _found = msg.Sessions.Count;
            _listed = true;
            WakeMore();
        });
        Receive<ListingFailed>(msg =>
        {
            _failure = $"listing the sessions with unfinished calls failed: {msg.Reason}";
            AnswerWaiters();
        });
        Receive<SessionAwake>(msg =>
        {
            if (!_wakes.Answered(msg.Session)) return;
            _woken++;
            WakeMore();
        });
        Receive<SessionWakeFailed>(msg => Failed(msg.Session, msg.Reason));
        // A session whose journal fails verification stops without answering: it is not waited for.
        Receive<PersistenceIdClosed>(msg =>
        {
            if (msg.PersistenceId.StartsWith(SessionPrefix, StringComparison.Ordinal))
                Failed(new SessionId(msg.PersistenceId[SessionPrefix.Length..]), msg.Line);
        });
        Receive<GateOpened>(_ => ListSessions());
        Receive<GetRecoveryStatus>(_ => Sender.Tell(Status()));
        Receive<NotifyWhenRecovered>(_ =>
        {
            _waiters.Add(Sender);
            AnswerWaiters();
        });
    }

    private RecoveryStatus Status() => new(_listed && _wakes.Idle, _found, _woken, _failure);

    // Listing failed means recovery can never complete: waiters get the failure rather than waiting forever.
    private void AnswerWaiters()
    {
        var status = Status();
        if (!status.Done && (_listed || _failure is null)) return;
        _ended?.TrySetResult();
        foreach (var waiter in _waiters) waiter.Tell(status);
        _waiters.Clear();
    }

    private void Failed(SessionId session, string reason)
    {
        if (!_wakes.Answered(session)) return;
        _failure ??= $"session {session} did not recover: {reason}";
        WakeMore();
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PersistenceIdClosed));
        if (_gate is null) ListSessions();
        else _gate.ContinueWith(_ => GateOpened.Instance, TaskScheduler.Default).PipeTo(Self);
    }

    private void ListSessions()
    {
        _directory.SessionsToWakeAsync()
            .PipeTo(Self, success: ids => new SessionsListed(ids), failure: e => new ListingFailed(e.Message));
    }

    private void WakeMore()
    {
        _wakes.Pump(Self);
        AnswerWaiters();
    }

    /// <param name="directory">Lists the sessions with unfinished calls.</param>
    /// <param name="gate">Recovery starts once this completes (tests hold it to observe a server that is recovering).</param>
    /// <param name="ended">Completed once recovery has ended (done, or failed): work that may wait starts then.</param>
    public static Props Props(IActorRef sessions, ICallDirectory directory, int parallelism, Task? gate = null, TaskCompletionSource? ended = null) =>
        Akka.Actor.Props.Create(() => new SessionRecovery(sessions, directory, parallelism, gate, ended));

    private sealed record GateOpened
    {
        public static GateOpened Instance { get; } = new();
    }

    private sealed record SessionsListed(IReadOnlyList<SessionId> Sessions);

    private sealed record ListingFailed(string Reason);
}

/// <summary>Answered with <see cref="RecoveryStatus"/>.</summary>
public sealed record GetRecoveryStatus
{
    public static GetRecoveryStatus Instance { get; } = new();
}

/// <summary>Answered with <see cref="RecoveryStatus"/> once recovery has ended (at once if it already has).</summary>
public sealed record NotifyWhenRecovered
{
    public static NotifyWhenRecovered Instance { get; } = new();
}

/// <summary>Whether every session with unfinished calls at start has recovered.</summary>
public sealed record RecoveryStatus(bool Done, int Sessions, int Recovered, string? Failure);
