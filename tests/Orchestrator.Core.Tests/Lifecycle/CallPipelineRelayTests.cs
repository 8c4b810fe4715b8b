using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>A relayed permission prompt: decided like any call, an ask raises an approval, and nothing ever runs.</summary>
public class CallPipelineRelayTests
{
    private static readonly ApprovalId Fresh = new("approval-fresh");

    public static TheoryData<bool> BothSettings => [true, false];

    private static PipelineRun Relayed(bool executes, AutomaticApprover? approver = null)
    {
        var run = new PipelineRun(new PipelineSettings { Executes = executes, Approver = approver });
        run.Feed(new CallInput.Submitted(Bash("git push origin main"), CallIntent.Relay, T0));
        return run;
    }

    private static void AssertNothingRan(PipelineRun run)
    {
        Assert.DoesNotContain(run.History, e => e is ExecutionStarted or ExecutionQueued);
        Assert.True(run.State.IsTerminal);
    }

    [Theory, MemberData(nameof(BothSettings))]
    public void A_relayed_ask_raises_an_approval_instead_of_ending_the_call(bool executes)
    {
        var run = Relayed(executes);
        Assert.False(run.Effect<CallEffect.EvaluatePolicy>().Sandboxed);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        Assert.Equal(CallStatus.AwaitingApproval, run.State.Status);
        Assert.Equal(Fresh, run.State.PendingApproval!.ApprovalId);
        Assert.Equal(CallIntent.Relay, run.State.Intent);
        run.Effect<CallEffect.ScheduleApprovalDeadline>();
    }

    [Theory, MemberData(nameof(BothSettings))]
    public void An_approved_relayed_call_completes_decided_only_and_never_runs(bool executes)
    {
        var run = Relayed(executes);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        run.Feed(new CallInput.ApprovalAnswerGiven(Approve(Fresh), T0.AddMinutes(1)));

        Assert.Equal(CallOutcome.DecidedOnly, run.State.Outcome);
        Assert.True(run.State.Answer!.Approved);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.EvaluatePolicy or CallEffect.PlanExecution or CallEffect.Execute);
        AssertNothingRan(run);
    }

    [Fact]
    public void A_refused_or_expired_relayed_call_ends_denied()
    {
        var refused = Relayed(executes: true);
        refused.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        refused.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        refused.Feed(new CallInput.ApprovalAnswerGiven(Refuse(Fresh), T0.AddMinutes(1)));

        var expired = Relayed(executes: true);
        expired.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        expired.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        expired.Feed(new CallInput.ApprovalDeadlineReached(Fresh, new ApprovalId("approval-next"), T0.AddHours(1)));

        Assert.Equal(CallOutcome.ApprovalDenied, refused.State.Outcome);
        Assert.Equal(CallOutcome.ApprovalTimedOut, expired.State.Outcome);
        AssertNothingRan(refused);
        AssertNothingRan(expired);
    }

    [Theory]
    [InlineData(Decision.Allow, CallOutcome.DecidedOnly)]
    [InlineData(Decision.Deny, CallOutcome.Denied)]
    public void A_relayed_call_the_policy_allows_or_denies_is_answered_at_once_in_one_write(Decision decision, CallOutcome outcome)
    {
        var run = Relayed(executes: true);

        run.Feed(new CallInput.PolicyAnswered(Verdict(decision, decision == Decision.Allow ? ReasonClass.RuleAllow : ReasonClass.RuleDeny), T0));

        Assert.IsType<CallReceivedAndDecided>(Assert.Single(run.History));
        Assert.Equal(outcome, run.State.Outcome);
        Assert.Null(run.State.LastApproval);
        AssertNothingRan(run);
    }

    [Fact]
    public void A_grant_covers_a_relayed_ask_without_an_approval()
    {
        var run = Relayed(executes: true);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));

        run.Feed(new CallInput.GrantAnswered(new GrantId("grant-1"), Fresh, T0));

        Assert.Equal(CallOutcome.DecidedOnly, run.State.Outcome);
        Assert.Null(run.State.LastApproval);
        AssertNothingRan(run);
    }

    [Fact]
    public void The_automatic_approver_answers_a_relayed_ask_and_still_nothing_runs()
    {
        var run = Relayed(executes: true, AutomaticApprover.AutoApprove);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));

        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        Assert.Equal(CallOutcome.DecidedOnly, run.State.Outcome);
        Assert.True(run.State.Answer!.Approved);
        AssertNothingRan(run);
    }

    [Fact]
    public void A_relayed_approval_pending_at_a_restart_is_still_pending_and_answerable()
    {
        var run = Relayed(executes: true);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        run.Restart(new CallInput.Recovered(new ApprovalId("approval-after"), T0.AddMinutes(1)));
        Assert.Equal(Fresh, run.State.PendingApproval!.ApprovalId);
        run.Feed(new CallInput.ApprovalAnswerGiven(Refuse(Fresh), T0.AddMinutes(2)));

        Assert.Equal(CallOutcome.ApprovalDenied, run.State.Outcome);
        AssertNothingRan(run);
    }
}
