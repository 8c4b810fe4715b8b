using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A pipeline configured with an automatic approver answers an ask itself, recorded as its answer.</summary>
public sealed class AutomaticApproverSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { Approver = AutomaticApprover.AutoDeny };

    [Fact]
    public async Task Ask_is_answered_by_the_automatic_approver()
    {
        var call = PipelinePolicy.Bash("s1", "git push");

        var accepted = await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);

        Assert.Equal(Decision.Ask, accepted.State.Decision);
        Assert.Equal(CallOutcome.ApprovalDenied, accepted.State.Outcome);
        Assert.Equal("auto-deny", accepted.State.Answer!.AnsweredBy);
    }
}
