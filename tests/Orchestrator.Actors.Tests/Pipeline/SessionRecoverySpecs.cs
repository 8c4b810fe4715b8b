using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// Start-up recovery answers a "tell me when done" request only once every session with unfinished calls has woken —
/// not counting the sessions whose unfinished calls only wait for an operator (the approval broker wakes those).
/// </summary>
public sealed class SessionRecoverySpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    [Fact]
    public async Task A_recovery_waiter_is_answered_once_every_session_with_unfinished_calls_has_recovered()
    {
        // Received and not yet decided when the server died: written by a throwaway writer, as a crashed server left them.
        foreach (var session in new[] { "wake-1", "wake-2", "wake-3" })
        {
            var call = PipelinePolicy.Bash(session, "ls");
            await WriteAndStopAsync(AgentSessionActor.PersistenceIdOf(call.Session),
                [new CallReceived(call.Id, call.Agent, call.Session, call, CallIntent.DecideOnly, 0, call.Id.Value, DateTimeOffset.UtcNow)]);
        }
        var sessions = await SessionsAsync();
        // Acknowledged once written: one waits for an operator (not woken at start), the other has ended (nothing to wake).
        var asked = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("waits-for-an-operator", "git push"), CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, asked.State.Status);
        var ended = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("sleeps-on", "ls"), CallIntent.DecideOnly), Patience);
        Assert.Equal(CallStatus.Completed, ended.State.Status);

        // Start-up recovery is what is proved: a second host for the restarted phase.
        await using var restarted = await RestartAsync();
        var recovery = await PipelineRegistry.WhenRegisteredAsync<SessionRecovery>(restarted.Registry, Patience);
        var answers = await Task.WhenAll(
            recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience),
            recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience));

        Assert.All(answers, status => Assert.Equal(new RecoveryStatus(true, 3, 3, null), status));
        // Asked after the end, a waiter is answered at once with the same status.
        Assert.Equal(answers[0], await recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience));
    }
}
