using Akka.Actor;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Idleness without a receive timeout: Akka.NET's receive timeout cancels and schedules a scheduler entry on every
/// message (several per call), so the session instead notes when it last received anything and looks every half
/// <see cref="PipelineOptions.PassivateAfter"/>; after a whole <see cref="PipelineOptions.PassivateAfter"/> without a
/// message it handles <see cref="ReceiveTimeout"/> as before (so it passivates between 1 and 1.5 times the setting).
/// </summary>
public sealed partial class AgentSessionActor
{
    private long _lastReceived = Environment.TickCount64;
    /// <summary>
    /// The periodic check, told by the system scheduler itself: a timer of <see cref="Timers"/> would arrive wrapped and
    /// so count as a message received.
    /// </summary>
    private ICancelable? _idleChecks;

    private void StartIdleChecks()
    {
        if (_services.Options.PassivateAfter is { } idle)
            _idleChecks = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(idle / 2, idle / 2, Self, CheckIdle.Instance, ActorRefs.NoSender);
    }

    private void StopIdleChecks() => _idleChecks?.Cancel();

    private void IdleChecked()
    {
        if (_services.Options.PassivateAfter is { } idle && Environment.TickCount64 - _lastReceived >= (long)idle.TotalMilliseconds)
            Self.Tell(ReceiveTimeout.Instance);
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not (CheckIdle or ReceiveTimeout)) _lastReceived = Environment.TickCount64;
        return base.AroundReceive(receive, message);
    }

    private sealed class CheckIdle
    {
        public static readonly CheckIdle Instance = new();
    }
}
