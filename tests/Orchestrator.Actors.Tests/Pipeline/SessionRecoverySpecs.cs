using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Start-up recovery answers a "tell me when done" request only once every journalled session has woken.</summary>
public sealed class SessionRecoverySpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    [Fact]
    public async Task A_recovery_waiter_is_answered_once_every_session_in_the_journal_has_recovered()
    {
        await using (var host = await PipelineTestHost.StartAsync(Backend.Options, PipelinePolicy.Snapshot()))
        {
            foreach (var session in new[] { "wake-1", "wake-2", "wake-3" })
                await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash(session, "ls"), CallIntent.DecideOnly), Patience);
        }

        await using (var host = await PipelineTestHost.StartAsync(Backend.Options, PipelinePolicy.Snapshot()))
        {
            var recovery = await host.Registry.GetAsync<SessionRecovery>();
            var answers = await Task.WhenAll(
                recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience),
                recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience));

            Assert.All(answers, status => Assert.Equal(new RecoveryStatus(true, 3, 3, null), status));
            // Asked after the end, a waiter is answered at once with the same status.
            Assert.Equal(answers[0], await recovery.Ask<RecoveryStatus>(NotifyWhenRecovered.Instance, Patience));
        }
    }
}
