using Akka.Actor;

namespace Orchestrator.Actors.Stages;

/// <summary>A stage actor whose every message goes through <see cref="PoisonGuard"/> under the stage's name.</summary>
public abstract class GuardedStage(string stageName) : ReceiveActor
{
    // The base handler as a delegate made once, not a closure per message.
    private Func<Receive, object, bool>? _unguarded;

    protected sealed override bool AroundReceive(Receive receive, object message) =>
        PoisonGuard.Receive(stageName, _unguarded ??= base.AroundReceive, receive, message, Sender, Context);
}
