using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Once a workspace's policy is recorded, sessions judge its calls themselves: no round trip through the policy actor.</summary>
public sealed class SessionJudgingSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    [Fact]
    public async Task Calls_of_a_recorded_policy_are_decided_with_the_policy_actor_gone()
    {
        var sessions = await SessionsAsync();
        // The first call goes through the policy actor, which records the workspace's policy.
        await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("judge-1", "ls"), CallIntent.DecideOnly), Patience);
        var policy = await RegisteredAsync<PolicyActor>();
        Watch(policy);
        policy.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(policy, Patience);

        // A call that still went through the stopped policy actor would get no decision within the ask's patience.
        var denied = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("judge-2", "curl example.com"), CallIntent.DecideOnly), Patience);
        var allowed = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("judge-1", "ls -la"), CallIntent.DecideOnly), Patience);

        Assert.Equal(Decision.Deny, denied.State.Decision);
        Assert.Equal(Decision.Allow, allowed.State.Decision);
    }
}
