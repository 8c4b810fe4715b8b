using Akka.Actor;
using Akka.Event;

namespace Orchestrator.Actors.Stages;

/// <summary>
/// Keeps one message from taking a stage down: an exception while a stage handles a message is logged and answered to
/// its sender as <see cref="StageRefused"/> (so that call fails, at once and alone), and the stage carries on with its
/// state intact instead of restarting. Stage actors derive from <see cref="GuardedStage"/>, which calls <see cref="Receive"/>.
/// </summary>
public static class PoisonGuard
{
    /// <param name="handle">The stage's own <c>base.AroundReceive</c>, as a delegate the stage makes once (not a closure per message).</param>
    public static bool Receive(string stage, Func<Receive, object, bool> handle, Receive receive, object message, IActorRef sender, IActorContext context)
    {
        try
        {
            return handle(receive, message);
        }
        catch (Exception e) when (e is not ActorKilledException)
        {
            var reason = $"{e.GetType().Name}: {e.Message}";
            context.GetLogger().Warning("the {0} stage failed on a {1} and refused it alone: {2}", stage, message.GetType().Name, reason);
            if (!sender.IsNobody() && !sender.Equals(context.System.DeadLetters))
                sender.Tell(new StageRefused(stage, reason) { CallId = CallIdOf(message) });
            return true;
        }
    }

    private static Core.Calls.CallId? CallIdOf(object message)
    {
        try
        {
            return (message as ICallScoped)?.ScopedCallId;
        }
        catch (NullReferenceException)
        {
            return null;
        }
    }
}
