using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

public sealed class PolicyActorSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit.TestKit(output: output)
{
    [Theory]
    [InlineData("ls -la", Decision.Allow)]
    [InlineData("curl https://example.com", Decision.Deny)]
    [InlineData("git push", Decision.Ask)]
    public async Task Answers_with_the_verdict_of_the_current_snapshot(string command, Decision expected)
    {
        var policy = Sys.ActorOf(PolicyActor.Props(PipelinePolicy.Snapshot()));

        var evaluated = await policy.Ask<CallEvaluated>(new EvaluateCall(PipelinePolicy.Bash("s", command), Sandboxed: true), TimeSpan.FromSeconds(10));

        Assert.Equal(expected, evaluated.Verdict.Decision);
    }
}
