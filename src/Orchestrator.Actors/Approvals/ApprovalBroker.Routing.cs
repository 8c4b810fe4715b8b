using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Approvals;

/// <summary>How answers reach sessions that may be asleep, and how sleeping sessions are woken at their approvals' deadlines.</summary>
public sealed partial class ApprovalBroker
{
    private const int WakeParallelism = 16;
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(60);
    private const string DeadlineTimerKey = "deadlines";

    private readonly SessionWakes _wakes;
    /// <summary>Pending approvals whose deadline passed and whose session was woken to time them out (not woken twice).</summary>
    private readonly HashSet<ApprovalId> _wokenFor = [];
    private DateTimeOffset? _nextWakeAt;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A pending approval goes to its session (woken if asleep); any other to the session the index names, which answers it.</summary>
    private void Route(SubmitApprovalAnswer msg)
    {
        var id = msg.Answer.ApprovalId;
        if (_book.FindPending(id) is { } request)
        {
            _sessions.Forward(new AnswerApproval(request.Session, request.CallId, msg.Answer));
            return;
        }
        var replyTo = Sender;
        Index.FindApprovalAsync(id).PipeTo(Self,
            success: place => new ApprovalRouteFound(msg, replyTo, place, null),
            failure: e => new ApprovalRouteFound(msg, replyTo, null, e.Message));
    }

    private void Routed(ApprovalRouteFound found)
    {
        var answer = found.Submitted.Answer;
        if (found.Failure is { } failure)
            found.ReplyTo.Tell(new ApprovalIndexUnavailable(answer.ApprovalId, $"the approval index could not be read: {failure}"));
        else if (found.Place is { } place)
            _sessions.Tell(new AnswerApproval(place.Session, place.Call, answer), found.ReplyTo);
        else
            found.ReplyTo.Tell(new ApprovalNotFound(answer.ApprovalId));
    }

    /// <summary>Keeps one timer at the earliest deadline of a pending approval whose session was not yet woken for it.</summary>
    private void ScheduleDeadlineWake()
    {
        DateTimeOffset? next = null;
        foreach (var request in _book.Pending)
            if (!_wokenFor.Contains(request.ApprovalId))
            {
                next = request.Deadline;
                break;
            }
        if (next is not { } due || (_nextWakeAt is { } scheduled && scheduled <= due)) return;
        _nextWakeAt = due;
        var delay = due - _clock.GetUtcNow();
        Timers.StartSingleTimer(DeadlineTimerKey, DeadlinesDue.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    /// <summary>
    /// Wakes the sessions of the approvals now due: a session asleep times them out as it recovers; one awake has its
    /// own timer, and the wake costs it a message.
    /// </summary>
    private void WakeForDeadlines()
    {
        _nextWakeAt = null;
        _wokenFor.RemoveWhere(id => _book.FindPending(id) is null);
        var now = _clock.GetUtcNow();
        foreach (var request in _book.Pending)
        {
            if (request.Deadline > now) break;
            if (_wokenFor.Add(request.ApprovalId)) _wakes.Enqueue(request.Session);
        }
        _wakes.Pump(Self);
        ScheduleDeadlineWake();
    }

    private sealed record ApprovalRouteFound(SubmitApprovalAnswer Submitted, IActorRef ReplyTo,
        (SessionId Session, CallId Call)? Place, string? Failure);

    private sealed record DeadlinesDue
    {
        public static DeadlinesDue Instance { get; } = new();
    }
}
