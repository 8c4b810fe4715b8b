using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

public class SubmitterApprovalTests
{
    private static CallState AwaitingSubmittedBy(string? submitter)
    {
        var received = Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("git push") with { SubmittedBy = submitter },
            CallIntent.Execute, null, T0)).State;
        return Accepted(CallLifecycle.Decide(received, Ask(), T0)).State;
    }

    [Theory]
    [InlineData(GrantScope.Once)]
    [InlineData(GrantScope.Session)]
    [InlineData(GrantScope.Always)]
    public void Whoever_submitted_a_call_cannot_approve_it_and_it_stays_pending(GrantScope scope)
    {
        var state = AwaitingSubmittedBy("alice");

        var result = CallLifecycle.AnswerApproval(state, Approve(scope: scope), T0.AddMinutes(1));

        Assert.False(result.IsAccepted);
        Assert.Equal(RejectionCode.SubmitterCannotApprove, result.Rejection!.Code);
        Assert.NotNull(result.State.PendingApproval);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void The_submitter_may_still_deny_and_a_second_party_may_approve()
    {
        Assert.True(CallLifecycle.AnswerApproval(AwaitingSubmittedBy("bob"), Refuse(), T0.AddMinutes(1)).IsAccepted);
        Assert.True(CallLifecycle.AnswerApproval(AwaitingSubmittedBy("bob"), Approve(), T0.AddMinutes(1)).IsAccepted);
    }

    [Fact]
    public void The_submitter_is_recorded_with_the_call()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("ls") with { SubmittedBy = "alice" }, CallIntent.Execute, null, T0);

        Assert.Equal("alice", Assert.IsType<CallReceived>(Assert.Single(received.Events)).Call.SubmittedBy);
    }

    [Fact]
    public void A_call_without_a_submitter_the_local_users_own_can_be_approved_by_anyone()
    {
        Assert.True(CallLifecycle.AnswerApproval(AwaitingSubmittedBy(null), Approve(), T0.AddMinutes(1)).IsAccepted);
    }
}
