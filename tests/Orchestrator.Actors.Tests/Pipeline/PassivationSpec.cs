using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A <see cref="PipelineSpec"/> about session passivation: tells which incarnation of a session answered.</summary>
public abstract class PassivationSpec(ITestOutputHelper output) : PipelineSpec(output)
{
    /// <summary>Sends <paramref name="message"/> through the router; the answer and the session incarnation that gave it.</summary>
    protected async Task<(T Answer, IActorRef Session)> AnsweredAsync<T>(ISessionMessage message)
    {
        var sessions = await SessionsAsync();
        var probe = CreateTestProbe();
        sessions.Tell(message, probe.Ref);
        var answer = await probe.ExpectMsgAsync<T>(Patience);
        Assert.Equal(SessionRouter.ChildName(message.Session), probe.LastSender.Path.Name);
        return (answer, probe.LastSender);
    }

    /// <summary>Submits a decide-only <c>ls</c> in <paramref name="session"/>; the incarnation that accepted it.</summary>
    protected async Task<IActorRef> DecidedAsync(string session)
    {
        var (accepted, by) = await AnsweredAsync<CallAccepted>(new SubmitCall(PipelinePolicy.Bash(session, "ls"), CallIntent.DecideOnly));
        Assert.Equal(CallOutcome.DecidedOnly, accepted.State.Outcome);
        return by;
    }

    /// <summary>Waits until <paramref name="incarnation"/> has stopped (a watch on one already gone delivers Terminated at once).</summary>
    protected async Task StoppedAsync(IActorRef incarnation)
    {
        Watch(incarnation);
        await ExpectTerminatedAsync(incarnation, Patience);
        Unwatch(incarnation);
    }
}
