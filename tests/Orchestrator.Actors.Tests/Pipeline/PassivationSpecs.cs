using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Idle sessions leave memory and come back from the journal; sessions with work in flight stay.</summary>
public sealed class PassivationSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    private static async Task<bool> IsRunningAsync(PipelineTestHost host, string session)
    {
        var identity = await host.System.ActorSelection($"/user/orchestrator/sessions/{session}").Ask<ActorIdentity>(new Identify(1), Patience);
        return identity.Subject is not null;
    }

    [Fact]
    public async Task An_idle_session_stops_and_answers_again_from_the_journal()
    {
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, PipelinePolicy.Snapshot(),
            PipelineOptions.Default with { PassivateAfter = TimeSpan.FromMilliseconds(300) });
        var call = PipelinePolicy.Bash("idle-1", "ls");
        await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        await AwaitConditionAsync(async () => !await IsRunningAsync(host, "idle-1"), Patience);

        var snapshot = await host.Sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience);
        Assert.Equal(CallOutcome.DecidedOnly, snapshot.State.Outcome);
        Assert.True(await IsRunningAsync(host, "idle-1"));
    }

    [Fact]
    public async Task A_session_with_a_pending_approval_is_not_passivated()
    {
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, PipelinePolicy.Snapshot(),
            PipelineOptions.Default with { PassivateAfter = TimeSpan.FromMilliseconds(200) });
        var accepted = await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("busy-1", "git push"), CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        // A session that went idle after busy-1 did is passivated: had busy-1 been passivatable, it would be gone too.
        await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("idle-2", "ls"), CallIntent.DecideOnly), Patience);
        await AwaitConditionAsync(async () => !await IsRunningAsync(host, "idle-2"), Patience);

        Assert.True(await IsRunningAsync(host, "busy-1"));
    }

    [Fact]
    public async Task Submissions_racing_a_passivation_are_all_answered()
    {
        await using var host = await PipelineTestHost.StartAsync(Backend.Options, PipelinePolicy.Snapshot(),
            PipelineOptions.Default with { PassivateAfter = TimeSpan.FromMilliseconds(50) });

        for (var round = 0; round < 20; round++)
        {
            var answer = await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("race-1", "ls"), CallIntent.DecideOnly), Patience);
            Assert.Equal(CallOutcome.DecidedOnly, answer.State.Outcome);
            await Task.Delay(Random.Shared.Next(30, 80));
        }
    }
}
