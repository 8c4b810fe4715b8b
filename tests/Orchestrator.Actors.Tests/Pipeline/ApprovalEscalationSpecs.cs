using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>With an escalation policy, an approval that times out goes to the next approver group instead of denying.</summary>
public sealed class ApprovalEscalationSpecs(ITestOutputHelper output) : ApprovalSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with
    {
        ApprovalTimeout = TimeSpan.FromMilliseconds(300),
        Escalation = new EscalationPolicy("leads", TimeSpan.FromMinutes(5)),
    };

    [Fact]
    public async Task A_timeout_escalates_to_the_second_group_with_a_fresh_approval_id()
    {
        var first = await SubmitAskAsync(PipelinePolicy.Bash("ops-5", "git push"));
        var broker = await BrokerAsync();

        await AwaitAssertAsync(async () =>
        {
            var pending = Assert.Single((await broker.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals);
            Assert.Equal("leads", pending.ApproverGroup);
            Assert.Equal(1, pending.EscalationLevel);
            Assert.NotEqual(first.ApprovalId, pending.ApprovalId);
        }, Patience);
        var stale = await broker.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(first, approved: true)), Patience);
        Assert.Equal(RejectionCode.StaleAnswer, stale.Rejection.Code);
    }
}
