using System.Diagnostics;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Per-call stage deadlines without a scheduler timer per call: each awaited stage's deadline is kept here (monotonic
/// time, like the timers it replaces) and ONE timer per session wakes at the earliest. Most stages answer long before
/// their deadline, so a call costs a dictionary entry instead of scheduling and cancelling a timer.
/// </summary>
public sealed partial class AgentSessionActor
{
    private const string StageDeadlinesTimer = "stage-deadlines";
    private readonly Dictionary<CallId, (long Due, string Reason)> _stageDeadlines = [];
    /// <summary>When the session's deadline timer fires (a Stopwatch timestamp), or null when none is scheduled.</summary>
    private long? _sweepAt;

    private void StartStageDeadline(CallId id, CallEffect.StartStageTimer timer)
    {
        var due = Stopwatch.GetTimestamp() + (long)(timer.Timeout.TotalSeconds * Stopwatch.Frequency);
        _stageDeadlines[id] = (due, timer.Reason);
        if (_sweepAt is null || due < _sweepAt) ScheduleSweep(due);
    }

    private void CancelStageDeadline(CallId id) => _stageDeadlines.Remove(id);

    private void ScheduleSweep(long due)
    {
        _sweepAt = due;
        Timers.StartSingleTimer(StageDeadlinesTimer, SweepStageDeadlines.Instance, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>Fails the calls whose awaited stage did not answer in time, then waits for the next deadline.</summary>
    private void SweepDeadlines()
    {
        _sweepAt = null;
        var now = Stopwatch.GetTimestamp();
        List<(CallId Id, string Reason)>? expired = null;
        long? next = null;
        foreach (var (id, (due, reason)) in _stageDeadlines)
        {
            if (due <= now) (expired ??= []).Add((id, reason));
            else if (next is null || due < next) next = due;
        }
        if (expired is not null)
            foreach (var (id, reason) in expired)
            {
                _stageDeadlines.Remove(id);
                Step(id, reason, static (self, reason) => new CallInput.StageFailed(reason, self.Now));
            }
        // A step above may have set a deadline (and scheduled the timer) itself.
        if (next is { } at && (_sweepAt is null || at < _sweepAt)) ScheduleSweep(at);
    }

    private sealed class SweepStageDeadlines
    {
        public static readonly SweepStageDeadlines Instance = new();
    }
}
