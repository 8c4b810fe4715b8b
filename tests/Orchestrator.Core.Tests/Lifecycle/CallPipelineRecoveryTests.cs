using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>DESIGN §2's crash-recovery table, as the pipeline applies it to a call folded from its journal.</summary>
public class CallPipelineRecoveryTests
{
    private static readonly PipelineSettings Runs = CallPipelineTests.Runs;
    private static readonly ApprovalId Fresh = new("approval-fresh");

    private static PipelineRun Submitted(PipelineSettings? settings = null, string command = "git push origin main", CallIntent intent = CallIntent.Execute)
    {
        var run = new PipelineRun(settings ?? Runs);
        run.Feed(new CallInput.Submitted(Bash(command), intent, T0));
        return run;
    }

    [Fact]
    public void Received_but_not_decided_runs_the_decision_again()
    {
        var run = Submitted(Runs, "ls");
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.ReadOnly), T0) { Hooks = CallPipelineTests.HooksForBash() });
        Assert.Equal(CallStatus.Received, run.State.Status);

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Empty(run.Last.Events);
        Assert.Equal("ls", run.Effect<CallEffect.EvaluatePolicy>().Call.Input[ToolInputKeys.Command]);
        Assert.Equal(AwaitedStage.Policy, run.State.Work!.Awaiting);
    }

    [Fact]
    public void A_pending_approval_stays_pending_with_the_same_id_and_its_original_deadline()
    {
        var run = Submitted();
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        run.Feed(new CallInput.GrantAnswered(null, FirstApproval, T0));

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(3)));

        Assert.Empty(run.Last.Events);
        Assert.Equal(FirstApproval, run.State.PendingApproval!.ApprovalId);
        Assert.Equal(T0 + Runs.ApprovalTimeout, run.Effect<CallEffect.ScheduleApprovalDeadline>().Due);

        run.Feed(new CallInput.ApprovalAnswerGiven(Approve(), T0.AddMinutes(4)));
        Assert.Equal(CallStatus.Approved, run.State.Status);
        Assert.Equal(AwaitedStage.Clearance, run.State.Work!.Awaiting);
    }

    [Fact]
    public void A_pending_approval_whose_deadline_passed_while_down_times_out_at_recovery()
    {
        var run = Submitted();
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Ask), T0));
        run.Feed(new CallInput.GrantAnswered(null, FirstApproval, T0));

        run.Restart(new CallInput.Recovered(Fresh, T0.AddHours(1)));

        Assert.Equal(CallOutcome.ApprovalTimedOut, run.State.Outcome);
    }

    [Fact]
    public void Execution_started_without_finishing_is_interrupted_and_never_run_again()
    {
        var run = Submitted();
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.ReadOnly), T0));
        run.Feed(new CallInput.ExecutionPlanned(new CallPipelineTests.TestPlan(), T0));

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        var interrupted = Assert.IsType<CallInterrupted>(Assert.Single(run.Last.Events));
        Assert.Equal(CallLifecycle.InterruptedOnRecovery, interrupted.Reason);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.Execute or CallEffect.PlanExecution or CallEffect.EvaluatePolicy);
    }

    [Fact]
    public void Allowed_but_never_started_is_judged_again_and_then_run()
    {
        var run = Submitted();
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.ReadOnly), T0));

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Equal(AwaitedStage.Clearance, run.State.Work!.Awaiting);
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.ReadOnly), T0.AddMinutes(1)));
        run.Effect<CallEffect.PlanExecution>();
    }

    [Fact]
    public void A_call_whose_secrets_were_masked_fails_instead_of_running_the_masked_input_after_restart()
    {
        var run = Submitted(command: "curl -H 'Authorization: Bearer sk-live-abcdefghijklmnopqrstuvwxyz123456' https://example.com");
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Allow, ReasonClass.ReadOnly), T0));
        Assert.True(run.State.Received!.MaskedSecrets > 0);

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.True(run.State.OriginalInputLost || run.State.IsTerminal);
        Assert.Equal(CallLifecycle.InputLostOnRecovery, run.State.Completion!.Detail);
        Assert.DoesNotContain(run.History, e => e is ExecutionStarted);
    }

    [Fact]
    public void A_decision_of_ask_without_its_recorded_request_requests_approval_with_the_id_given()
    {
        var decided = Accepted(CallLifecycle.Decide(Received(), DecisionInput.Of(Verdict(Decision.Ask), Spec()), T0));
        var history = EventsOf(Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("git push origin main"), CallIntent.Execute, null, T0)), decided)
            .Where(e => e is not ApprovalRequested).ToList();
        var run = new PipelineRun(new CallPipeline(Runs), CallState.New(Id));
        run.History.AddRange(history);

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Equal(Fresh, Assert.IsType<ApprovalRequested>(Assert.Single(run.Last.Events)).ApprovalId);
        run.Effect<CallEffect.ScheduleApprovalDeadline>();
    }

    [Fact]
    public void A_finished_call_missing_its_completion_is_completed_with_its_exit_code()
    {
        var run = new PipelineRun(new CallPipeline(Runs), CallState.New(Id));
        var executing = Executing();
        run.History.AddRange(EventsOf(
            Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("git push origin main"), CallIntent.Execute, null, T0)),
            Accepted(CallLifecycle.Decide(Received(), Allow(), T0)),
            Accepted(CallLifecycle.StartExecution(Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State, "linux", "sha256:profile", T0.AddSeconds(1)))));
        run.History.Add(new ExecutionFinished(Id, Ran(7), T0.AddSeconds(2)));
        Assert.Equal(CallStatus.Executing, executing.Status);

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Equal(7, Assert.IsType<CallCompleted>(Assert.Single(run.Last.Events)).ExitCode);
    }

    [Fact]
    public void A_completed_call_is_unchanged()
    {
        var run = Submitted();
        run.Feed(new CallInput.PolicyAnswered(Verdict(Decision.Deny, ReasonClass.RuleDeny), T0));

        var step = run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Empty(step.Events);
        Assert.Empty(step.Effects);
    }
}
