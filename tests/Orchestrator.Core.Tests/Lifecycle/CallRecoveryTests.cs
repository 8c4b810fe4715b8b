using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>DESIGN §2's crash-recovery table, row by row, plus the gaps between rows.</summary>
public class CallRecoveryTests
{
    private static readonly DateTimeOffset Restart = T0.AddMinutes(3);

    [Fact]
    public void Received_but_not_decided_recovers_to_rerunning_the_decision()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.Execute, null, T0);

        var recovery = RecoveryView.Of(Id, EventsOf(received), Restart);

        Assert.Equal(RecoveryAction.RerunDecision, recovery.Action);
        Assert.Empty(recovery.EventsToPersist);
        Assert.Equal(CallStatus.Received, recovery.State.Status);
        Assert.True(CallLifecycle.Decide(recovery.State, Allow(), Restart).IsAccepted);
    }

    [Fact]
    public void Awaiting_approval_stays_pending_with_the_same_id_and_original_deadline()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);

        var recovery = RecoveryView.Of(Id, EventsOf(asked), Restart);

        Assert.Equal(RecoveryAction.AwaitApproval, recovery.Action);
        Assert.Empty(recovery.EventsToPersist);
        Assert.Equal(FirstApproval, recovery.State.PendingApproval!.ApprovalId);
        Assert.Equal(T0.AddMinutes(10), recovery.State.PendingApproval.Deadline);
    }

    [Fact]
    public void A_recovered_pending_approval_is_still_answerable()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);
        var recovery = RecoveryView.Of(Id, EventsOf(asked), Restart);

        var answer = CallLifecycle.AnswerApproval(recovery.State, Approve(), Restart.AddMinutes(1));

        Assert.Equal(CallStatus.Approved, Accepted(answer).State.Status);
    }

    [Fact]
    public void The_timeout_keeps_counting_from_the_original_request_after_a_restart()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);
        var recovery = RecoveryView.Of(Id, EventsOf(asked), Restart);

        Assert.Equal(RejectionCode.TimeoutNotDue, CallLifecycle.TimeOut(recovery.State, Restart.AddMinutes(6)).Rejection!.Code);
        Assert.True(CallLifecycle.TimeOut(recovery.State, Restart.AddMinutes(7)).IsAccepted);
    }

    [Fact]
    public void A_pending_approval_whose_deadline_passed_while_down_times_out_at_recovery()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);

        var recovery = RecoveryView.Of(Id, EventsOf(asked), T0.AddMinutes(15));

        Assert.Equal(RecoveryAction.None, recovery.Action);
        Assert.Collection(recovery.EventsToPersist,
            e => Assert.Equal(T0.AddMinutes(10), Assert.IsType<ApprovalTimedOut>(e).Deadline),
            e => Assert.Equal(CallOutcome.ApprovalTimedOut, Assert.IsType<CallCompleted>(e).Outcome));
        Assert.Equal(CallOutcome.ApprovalTimedOut, recovery.State.Outcome);
    }

    [Fact]
    public void A_pending_approval_past_its_deadline_escalates_at_recovery_when_configured()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);

        var recovery = RecoveryView.Of(Id, EventsOf(asked), T0.AddMinutes(15),
            new EscalationPolicy("security", TimeSpan.FromMinutes(30)), SecondApproval);

        Assert.Equal(RecoveryAction.AwaitApproval, recovery.Action);
        Assert.Equal(SecondApproval, recovery.State.PendingApproval!.ApprovalId);
        Assert.Equal(T0.AddMinutes(45), recovery.State.PendingApproval.Deadline);
    }

    [Fact]
    public void Execution_started_without_finishing_is_interrupted_and_never_run_again()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);

        var recovery = RecoveryView.Of(Id, EventsOf(received, started), Restart);

        var interrupted = Assert.IsType<CallInterrupted>(Assert.Single(recovery.EventsToPersist));
        Assert.Equal(CallLifecycle.InterruptedOnRecovery, interrupted.Reason);
        Assert.Equal(RecoveryAction.None, recovery.Action);
        Assert.Equal(CallOutcome.Interrupted, recovery.State.Outcome);
        Assert.False(CallLifecycle.StartExecution(recovery.State, "linux", "d", Restart).IsAccepted);
    }

    [Fact]
    public void A_finished_and_completed_call_is_unchanged()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);
        var finished = CallLifecycle.FinishExecution(started.State, Ran(), T0.AddSeconds(1));

        var recovery = RecoveryView.Of(Id, EventsOf(received, started, finished), Restart);

        Assert.Equal(RecoveryAction.None, recovery.Action);
        Assert.Empty(recovery.EventsToPersist);
        Assert.Equal(finished.State.Completion, recovery.State.Completion);
    }

    [Fact]
    public void A_finished_call_missing_its_completion_is_completed_with_its_exit_code()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);
        var finished = CallLifecycle.FinishExecution(started.State, Ran(exitCode: 2), T0.AddSeconds(1));
        var withoutCompletion = EventsOf(received, started).Append(finished.Events[0]).ToList();

        var recovery = RecoveryView.Of(Id, withoutCompletion, Restart);

        var completed = Assert.IsType<CallCompleted>(Assert.Single(recovery.EventsToPersist));
        Assert.Equal(CallOutcome.AllowedAndRan, completed.Outcome);
        Assert.Equal(2, completed.ExitCode);
        Assert.Equal(RecoveryAction.None, recovery.Action);
    }

    [Fact]
    public void Allowed_but_never_started_recovers_to_starting_execution()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);

        var recovery = RecoveryView.Of(Id, EventsOf(received), Restart);

        Assert.Equal(RecoveryAction.StartExecution, recovery.Action);
    }

    [Fact]
    public void Approved_but_never_started_recovers_to_starting_execution()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);
        var approved = CallLifecycle.AnswerApproval(asked.State, Approve(), T0.AddMinutes(1));

        var recovery = RecoveryView.Of(Id, EventsOf(asked, approved), Restart);

        Assert.Equal(RecoveryAction.StartExecution, recovery.Action);
        Assert.Equal(CallStatus.Approved, recovery.State.Status);
    }

    [Fact]
    public void A_call_whose_secrets_were_masked_fails_instead_of_running_the_masked_input_after_restart()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("API_TOKEN=abc123 ./deploy"), CallIntent.Execute, Allow(), T0);

        var recovery = RecoveryView.Of(Id, EventsOf(received), Restart);

        Assert.Equal(RecoveryAction.None, recovery.Action);
        Assert.Equal(CallOutcome.Failed, recovery.State.Outcome);
        Assert.Equal(CallLifecycle.InputLostOnRecovery, recovery.State.Completion!.Detail);
    }

    [Fact]
    public void A_recovered_pending_call_with_masked_secrets_cannot_start_after_approval()
    {
        var asked = CallLifecycle.Receive(CallState.New(Id), Bash("API_TOKEN=abc123 ./deploy"), CallIntent.Execute, Ask(), T0);
        var recovery = RecoveryView.Of(Id, EventsOf(asked), Restart);
        var approved = Accepted(CallLifecycle.AnswerApproval(recovery.State, Approve(), Restart)).State;

        var start = CallLifecycle.StartExecution(approved, "linux", "d", Restart);

        Assert.Equal(RejectionCode.OriginalInputLost, start.Rejection!.Code);
    }

    [Fact]
    public void A_decision_of_ask_without_its_recorded_request_recovers_to_requesting_approval()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, null, T0);
        var decided = CallLifecycle.Decide(received.State, Ask(), T0);
        var onlyDecided = EventsOf(received).Append(decided.Events[0]).ToList();

        var recovery = RecoveryView.Of(Id, onlyDecided, Restart, freshId: SecondApproval);

        var requested = Assert.IsType<ApprovalRequested>(Assert.Single(recovery.EventsToPersist));
        Assert.Equal(RecoveryAction.AwaitApproval, recovery.Action);
        Assert.Equal(SecondApproval, requested.ApprovalId);
        Assert.Equal(Restart.AddMinutes(10), recovery.State.PendingApproval!.Deadline);
    }

    [Fact]
    public void Requesting_approval_for_a_call_that_does_not_need_one_is_rejected()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        Assert.Equal(RejectionCode.NotAwaitingDecision, CallLifecycle.RequestApproval(allowed, Spec(), T0).Rejection!.Code);
    }

    [Fact]
    public void A_denied_call_missing_its_completion_is_completed_as_denied()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("rm -rf /"), CallIntent.Execute, Deny(), T0);

        var recovery = RecoveryView.Of(Id, [received.Events[0]], Restart);

        Assert.Equal(CallOutcome.Denied, Assert.IsType<CallCompleted>(Assert.Single(recovery.EventsToPersist)).Outcome);
    }

    [Fact]
    public void An_interrupted_call_stays_interrupted()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);
        var interrupted = CallLifecycle.Interrupt(started.State, "crash", T0.AddSeconds(1));

        var recovery = RecoveryView.Of(Id, EventsOf(received, started, interrupted), Restart);

        Assert.Equal(RecoveryAction.None, recovery.Action);
        Assert.Empty(recovery.EventsToPersist);
        Assert.Equal(CallStatus.Interrupted, recovery.State.Status);
    }

    [Fact]
    public void A_call_with_no_events_recovers_as_new_with_nothing_to_do()
    {
        var recovery = RecoveryView.Of(Id, [], Restart);

        Assert.Equal(CallStatus.New, recovery.State.Status);
        Assert.Equal(RecoveryAction.None, recovery.Action);
    }

    [Fact]
    public void A_resubmission_after_recovery_gets_the_existing_call()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);
        var recovery = RecoveryView.Of(Id, EventsOf(received, started), Restart);

        var resubmitted = CallLifecycle.Receive(recovery.State, Bash("make"), CallIntent.Execute, Allow(), Restart);

        Assert.Equal(CallCommandOutcome.AlreadyExists, resubmitted.Outcome);
        Assert.Equal(CallOutcome.Interrupted, resubmitted.State.Outcome);
    }

    [Fact]
    public void Recovering_a_second_time_records_nothing_new()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("make"), CallIntent.Execute, Allow(), T0);
        var started = CallLifecycle.StartExecution(received.State, "linux", "d", T0);
        var first = RecoveryView.Of(Id, EventsOf(received, started), Restart);
        var all = EventsOf(received, started).Concat(first.EventsToPersist).ToList();

        var second = RecoveryView.Of(Id, all, Restart.AddMinutes(1));

        Assert.Empty(second.EventsToPersist);
        Assert.Equal(CallStatus.Interrupted, second.State.Status);
        Assert.Equal(Decision.Allow, second.State.Decision);
    }
}
