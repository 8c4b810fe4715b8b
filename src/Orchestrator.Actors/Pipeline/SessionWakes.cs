using Akka.Actor;
using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Pipeline;

/// <summary>
/// Wakes sessions a bounded number at a time for the actor that owns it (each wake is a recovery: a journal read). The
/// owner hands each <see cref="SessionAwake"/> or <see cref="SessionWakeFailed"/> back to <see cref="Answered"/> and
/// pumps again.
/// </summary>
internal sealed class SessionWakes(IActorRef sessions, int parallelism, TimeSpan timeout)
{
    private readonly Queue<SessionId> _queue = new();
    private readonly HashSet<SessionId> _waking = [];

    public bool Idle => _queue.Count == 0 && _waking.Count == 0;

    public void Enqueue(SessionId session) => _queue.Enqueue(session);

    /// <summary>A wake's answer arrived; false when that session was not being woken here.</summary>
    public bool Answered(SessionId session) => _waking.Remove(session);

    public void Pump(IActorRef owner)
    {
        while (_waking.Count < Math.Max(1, parallelism) && _queue.TryDequeue(out var session))
        {
            if (!_waking.Add(session)) continue;
            sessions.Ask<SessionAwake>(new WakeSession(session), timeout)
                .PipeTo(owner, failure: e => new SessionWakeFailed(session, e.Message));
        }
    }
}

/// <summary>A session did not confirm it woke (its recovery failed or timed out).</summary>
public sealed record SessionWakeFailed(SessionId Session, string Reason);
