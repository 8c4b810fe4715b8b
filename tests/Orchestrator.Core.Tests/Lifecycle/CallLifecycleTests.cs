using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

public class CallLifecycleTests
{
    [Fact]
    public void Receiving_without_a_verdict_records_the_call_and_waits_for_a_decision()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.Execute, null, T0);

        var received = Assert.IsType<CallReceived>(Assert.Single(result.Events));
        Assert.Equal(CallStatus.Received, result.State.Status);
        Assert.Equal("call-1", received.IdempotencyKey);
        Assert.Equal(new AgentId("agent-1"), received.Agent);
        Assert.Equal(new SessionId("session-1"), received.Session);
        Assert.Equal(T0, received.ReceivedAt);
    }

    [Fact]
    public void Receiving_masks_secrets_before_anything_is_persisted()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123 gh pr list"),
            CallIntent.Execute, null, T0);

        var received = Assert.IsType<CallReceived>(Assert.Single(result.Events));
        Assert.Equal("GITHUB_TOKEN=*** gh pr list", received.Call.InputValue(ToolInputKeys.Command));
        Assert.Equal(1, received.MaskedSecrets);
    }

    [Fact]
    public void Receiving_with_an_allow_verdict_writes_one_combined_event_and_is_ready_to_run()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.Execute, Allow(), T0);

        var combined = Assert.IsType<CallReceivedAndDecided>(Assert.Single(result.Events));
        Assert.Equal(Id, combined.CallId);
        Assert.Equal(Decision.Allow, combined.Decided.Verdict.Decision);
        Assert.Equal(CallStatus.Decided, result.State.Status);
    }

    [Fact]
    public void Receiving_a_deny_verdict_completes_the_call_as_denied()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("rm -rf /"), CallIntent.Execute, Deny(), T0);

        Assert.Collection(result.Events,
            e => Assert.IsType<CallReceivedAndDecided>(e),
            e => Assert.Equal(CallOutcome.Denied, Assert.IsType<CallCompleted>(e).Outcome));
        Assert.Equal(CallOutcome.Denied, result.State.Outcome);
    }

    [Fact]
    public void Decide_only_calls_complete_as_decided_only_when_allowed()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.DecideOnly, Allow(), T0);

        Assert.Equal(CallStatus.Completed, result.State.Status);
        Assert.Equal(CallOutcome.DecidedOnly, result.State.Outcome);
    }

    [Fact]
    public void Decide_only_calls_with_an_ask_verdict_and_no_approval_spec_complete_with_the_ask()
    {
        var result = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.DecideOnly,
            DecisionInput.Of(Verdict(Decision.Ask)), T0);

        Assert.Equal(CallOutcome.DecidedOnly, result.State.Outcome);
        Assert.Equal(Decision.Ask, result.State.Decision);
    }

    [Fact]
    public void Resubmitting_the_same_call_id_returns_the_existing_call_without_new_events()
    {
        var state = Executing();

        var result = CallLifecycle.Receive(state, Bash("git push origin main"), CallIntent.Execute, Allow(), T0.AddMinutes(1));

        Assert.Equal(CallCommandOutcome.AlreadyExists, result.Outcome);
        Assert.Empty(result.Events);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void Receiving_a_call_into_the_state_of_another_call_is_a_programmer_error()
    {
        Assert.Throws<ArgumentException>(() =>
            CallLifecycle.Receive(CallState.New(Id), Bash("ls", id: "other"), CallIntent.Execute, null, T0));
    }

    [Fact]
    public void Deciding_ask_requests_approval_with_a_deadline_counted_from_now()
    {
        var result = CallLifecycle.Decide(Received(), Ask(timeout: TimeSpan.FromMinutes(5)), T0.AddSeconds(3));

        Assert.Collection(result.Events,
            e => Assert.IsType<CallDecided>(e),
            e =>
            {
                var request = Assert.IsType<ApprovalRequested>(e);
                Assert.Equal(FirstApproval, request.ApprovalId);
                Assert.Equal(T0.AddSeconds(3), request.RequestedAt);
                Assert.Equal(T0.AddSeconds(3).AddMinutes(5), request.Deadline);
                Assert.Equal("Bash: git push origin main", request.CallSummary);
                Assert.Equal(ReasonClass.RuleAsk, request.ReasonClass);
                Assert.Equal(ApprovalRequestSpec.DefaultGroup, request.ApproverGroup);
                Assert.Equal(0, request.EscalationLevel);
            });
        Assert.Equal(CallStatus.AwaitingApproval, result.State.Status);
    }

    [Fact]
    public void Deciding_ask_without_an_approval_spec_for_an_executing_call_is_a_programmer_error()
    {
        Assert.Throws<ArgumentException>(() => CallLifecycle.Decide(Received(), DecisionInput.Of(Verdict(Decision.Ask)), T0));
    }

    [Fact]
    public void An_ask_covered_by_a_grant_is_approved_without_a_request()
    {
        var grant = new GrantId("grant-7");
        var result = CallLifecycle.Decide(Received(), DecisionInput.Of(Verdict(Decision.Ask), coveredByGrant: grant), T0);

        var decided = Assert.IsType<CallDecided>(Assert.Single(result.Events));
        Assert.Equal(grant, decided.CoveredByGrant);
        Assert.Equal(CallStatus.Approved, result.State.Status);
    }

    [Fact]
    public void Deciding_twice_is_rejected()
    {
        var decided = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        var result = CallLifecycle.Decide(decided, Deny(), T0);

        Assert.Equal(RejectionCode.NotAwaitingDecision, result.Rejection!.Code);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void Deciding_an_unknown_call_is_rejected()
    {
        Assert.Equal(RejectionCode.UnknownCall, CallLifecycle.Decide(CallState.New(Id), Allow(), T0).Rejection!.Code);
    }

    [Fact]
    public void Approving_moves_the_call_to_approved_and_it_can_run()
    {
        var approved = Accepted(CallLifecycle.AnswerApproval(Awaiting(), Approve(), T0.AddMinutes(1)));

        var answered = Assert.IsType<ApprovalAnswered>(Assert.Single(approved.Events));
        Assert.True(answered.Approved);
        Assert.Equal("alice", answered.AnsweredBy);
        Assert.Equal(CallStatus.Approved, approved.State.Status);
        Assert.True(CallLifecycle.StartExecution(approved.State, "linux", "d", T0.AddMinutes(1)).IsAccepted);
    }

    [Fact]
    public void Denying_completes_the_call_as_approval_denied()
    {
        var result = Accepted(CallLifecycle.AnswerApproval(Awaiting(), Refuse(), T0.AddMinutes(1)));

        Assert.Equal(2, result.Events.Length);
        Assert.Equal(CallOutcome.ApprovalDenied, result.State.Outcome);
        Assert.Equal("not today", result.State.Completion!.Detail);
    }

    [Fact]
    public void Approving_a_decide_only_call_completes_it_without_running()
    {
        var result = Accepted(CallLifecycle.AnswerApproval(Awaiting(intent: CallIntent.DecideOnly), Approve(), T0.AddMinutes(1)));

        Assert.Equal(CallOutcome.DecidedOnly, result.State.Outcome);
    }

    [Fact]
    public void A_duplicate_answer_is_rejected_and_shows_the_first_decision()
    {
        var approved = Accepted(CallLifecycle.AnswerApproval(Awaiting(), Approve(), T0.AddMinutes(1))).State;

        var result = CallLifecycle.AnswerApproval(approved, Refuse(), T0.AddMinutes(2));

        Assert.Equal(RejectionCode.DuplicateAnswer, result.Rejection!.Code);
        Assert.True(result.Rejection.FirstAnswer!.Approved);
        Assert.Equal("alice", result.Rejection.FirstAnswer.AnsweredBy);
        Assert.Contains("approved by alice", result.Rejection.Message);
    }

    [Fact]
    public void A_duplicate_answer_after_the_call_completed_still_shows_the_first_decision()
    {
        var denied = Accepted(CallLifecycle.AnswerApproval(Awaiting(), Refuse(), T0.AddMinutes(1))).State;

        var result = CallLifecycle.AnswerApproval(denied, Approve(), T0.AddMinutes(2));

        Assert.Equal(RejectionCode.DuplicateAnswer, result.Rejection!.Code);
        Assert.False(result.Rejection.FirstAnswer!.Approved);
    }

    [Fact]
    public void An_answer_after_the_timeout_is_stale_and_shows_the_timeout()
    {
        var timedOut = Accepted(CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(10))).State;

        var result = CallLifecycle.AnswerApproval(timedOut, Approve(), T0.AddMinutes(11));

        Assert.Equal(RejectionCode.StaleAnswer, result.Rejection!.Code);
        Assert.Equal(FirstApproval, result.Rejection.TimedOut!.ApprovalId);
        Assert.Equal(CallOutcome.ApprovalTimedOut, result.State.Outcome);
    }

    [Fact]
    public void An_answer_past_the_deadline_but_before_the_timeout_is_recorded_is_rejected()
    {
        var result = CallLifecycle.AnswerApproval(Awaiting(), Approve(), T0.AddMinutes(10));

        Assert.Equal(RejectionCode.DeadlinePassed, result.Rejection!.Code);
    }

    [Fact]
    public void An_answer_to_an_approval_id_never_issued_is_rejected()
    {
        var result = CallLifecycle.AnswerApproval(Awaiting(), Approve(new ApprovalId("forged")), T0.AddMinutes(1));

        Assert.Equal(RejectionCode.UnknownApproval, result.Rejection!.Code);
        Assert.Equal(CallStatus.AwaitingApproval, result.State.Status);
    }

    [Fact]
    public void An_answer_for_a_call_that_never_asked_is_rejected()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        Assert.Equal(RejectionCode.NoApprovalPending, CallLifecycle.AnswerApproval(allowed, Approve(), T0).Rejection!.Code);
    }

    [Fact]
    public void A_timeout_before_the_deadline_is_rejected()
    {
        Assert.Equal(RejectionCode.TimeoutNotDue, CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(9)).Rejection!.Code);
    }

    [Fact]
    public void A_timeout_denies_the_call()
    {
        var result = Accepted(CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(10)));

        Assert.Collection(result.Events,
            e => Assert.Null(Assert.IsType<ApprovalTimedOut>(e).EscalatedTo),
            e => Assert.Equal(CallOutcome.ApprovalTimedOut, Assert.IsType<CallCompleted>(e).Outcome));
    }

    [Fact]
    public void A_timeout_after_an_answer_is_rejected_with_the_answer()
    {
        var approved = Accepted(CallLifecycle.AnswerApproval(Awaiting(), Approve(), T0.AddMinutes(1))).State;

        var result = CallLifecycle.TimeOut(approved, T0.AddMinutes(10));

        Assert.Equal(RejectionCode.NoApprovalPending, result.Rejection!.Code);
        Assert.True(result.Rejection.FirstAnswer!.Approved);
    }

    [Fact]
    public void A_timeout_with_escalation_asks_the_second_group_with_a_fresh_id_and_deadline()
    {
        var escalation = new EscalationPolicy("security", TimeSpan.FromMinutes(30));

        var result = Accepted(CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(10), escalation, SecondApproval));

        Assert.Collection(result.Events,
            e => Assert.Equal("security", Assert.IsType<ApprovalTimedOut>(e).EscalatedTo),
            e =>
            {
                var request = Assert.IsType<ApprovalRequested>(e);
                Assert.Equal(SecondApproval, request.ApprovalId);
                Assert.Equal("security", request.ApproverGroup);
                Assert.Equal(1, request.EscalationLevel);
                Assert.Equal(T0.AddMinutes(40), request.Deadline);
            });
        Assert.Equal(CallStatus.AwaitingApproval, result.State.Status);
    }

    [Fact]
    public void After_escalation_the_first_approval_is_stale_and_the_second_answers()
    {
        var escalation = new EscalationPolicy("security", TimeSpan.FromMinutes(30));
        var escalated = Accepted(CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(10), escalation, SecondApproval)).State;

        Assert.Equal(RejectionCode.StaleAnswer, CallLifecycle.AnswerApproval(escalated, Approve(), T0.AddMinutes(11)).Rejection!.Code);
        Assert.Equal(CallStatus.Approved, Accepted(CallLifecycle.AnswerApproval(escalated, Approve(SecondApproval), T0.AddMinutes(11))).State.Status);
    }

    [Fact]
    public void An_escalated_request_that_times_out_again_is_denied()
    {
        var escalation = new EscalationPolicy("security", TimeSpan.FromMinutes(30));
        var escalated = Accepted(CallLifecycle.TimeOut(Awaiting(), T0.AddMinutes(10), escalation, SecondApproval)).State;

        var result = Accepted(CallLifecycle.TimeOut(escalated, T0.AddMinutes(40), escalation, new ApprovalId("approval-3")));

        Assert.Equal(CallOutcome.ApprovalTimedOut, result.State.Outcome);
    }

    [Fact]
    public void Starting_execution_records_the_sandbox_before_anything_runs()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        var started = Assert.IsType<ExecutionStarted>(Assert.Single(Accepted(CallLifecycle.StartExecution(allowed, "linux", "sha256:p", T0)).Events));

        Assert.Equal("linux", started.SandboxKind);
        Assert.Equal("sha256:p", started.ProfileDigest);
    }

    [Fact]
    public void A_call_that_waits_for_a_slot_is_queued_once_then_starts_and_is_started_again_after_a_restart()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        var queued = Accepted(CallLifecycle.QueueExecution(allowed, "8 runs going", T0));
        var evt = Assert.IsType<ExecutionQueued>(Assert.Single(queued.Events));
        Assert.Equal(("8 runs going", CallStatus.Queued), (evt.Reason, queued.State.Status));
        Assert.Empty(Accepted(CallLifecycle.QueueExecution(queued.State, "again", T0)).Events);
        Assert.Equal(CallStatus.Executing, Accepted(CallLifecycle.StartExecution(queued.State, "linux", "d", T0)).State.Status);

        var received = Accepted(CallLifecycle.Receive(CallState.New(Id), CallFixtures.Bash("ls"), CallIntent.Execute, null, T0));
        var decided = Accepted(CallLifecycle.Decide(received.State, Allow(), T0));
        var recovered = RecoveryView.Of(Id, [.. EventsOf(received, decided), evt], T0);
        Assert.Equal(RecoveryAction.StartExecution, recovered.Action);
    }

    [Fact]
    public void A_call_that_may_not_run_is_never_queued() =>
        Assert.Equal(RejectionCode.NotExecutable, CallLifecycle.QueueExecution(Awaiting(), "full", T0).Rejection!.Code);

    [Fact]
    public void Starting_a_call_that_waits_for_approval_is_rejected()
    {
        Assert.Equal(RejectionCode.NotExecutable, CallLifecycle.StartExecution(Awaiting(), "linux", "d", T0).Rejection!.Code);
    }

    [Fact]
    public void Starting_a_call_twice_is_rejected()
    {
        Assert.Equal(RejectionCode.NotExecutable, CallLifecycle.StartExecution(Executing(), "linux", "d", T0).Rejection!.Code);
    }

    [Fact]
    public void Starting_a_decide_only_call_is_rejected()
    {
        var received = Accepted(CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.DecideOnly, null, T0)).State;
        var decided = Accepted(CallLifecycle.Decide(received, Allow(), T0)).State;

        Assert.Equal(RejectionCode.AlreadyTerminal, CallLifecycle.StartExecution(decided, "linux", "d", T0).Rejection!.Code);
    }

    [Fact]
    public void Finishing_records_the_result_and_completes_with_the_exit_code()
    {
        var result = Accepted(CallLifecycle.FinishExecution(Executing(), Ran(exitCode: 3), T0.AddSeconds(2)));

        Assert.Collection(result.Events,
            e => Assert.Equal(3, Assert.IsType<ExecutionFinished>(e).Result.ExitCode),
            e =>
            {
                var completed = Assert.IsType<CallCompleted>(e);
                Assert.Equal(CallOutcome.AllowedAndRan, completed.Outcome);
                Assert.Equal(3, completed.ExitCode);
            });
    }

    [Fact]
    public void A_structured_tool_that_failed_once_running_completes_as_failed_with_its_reason_and_its_facts_kept()
    {
        var tool = new ToolRecord("Edit", "/ws/a.txt", BeforeDigest: "sha256:b", Failure: "the file changed since it was read");
        var result = Accepted(CallLifecycle.FinishExecution(Executing(), Ran(exitCode: 1) with { Tool = tool }, T0.AddSeconds(2)));

        Assert.Collection(result.Events,
            e => Assert.Equal(tool, Assert.IsType<ExecutionFinished>(e).Result.Tool),
            e =>
            {
                var completed = Assert.IsType<CallCompleted>(e);
                Assert.Equal((CallOutcome.Failed, 1, "the file changed since it was read"), (completed.Outcome, completed.ExitCode, completed.Detail));
            });
        Assert.Equal(CallOutcome.AllowedAndRan, Assert.IsType<CallCompleted>(Accepted(CallLifecycle.FinishExecution(Executing(),
            Ran(exitCode: 1) with { Tool = tool with { Failure = null } }, T0.AddSeconds(2))).Events[1]).Outcome);
    }

    [Fact]
    public void Finishing_records_the_output_in_the_event_but_the_state_keeps_only_the_facts_of_the_run()
    {
        var output = new RecordedOutput(KeptStream.Of("out"u8, []), KeptStream.Of([], []));
        var result = Accepted(CallLifecycle.FinishExecution(Executing(), Ran() with { Output = output }, T0.AddSeconds(2)));

        Assert.Equal(output, Assert.IsType<ExecutionFinished>(result.Events[0]).Result.Output);
        Assert.Null(result.State.Finished!.Result.Output);
        Assert.Equal("sha256:out", result.State.Finished.Result.StdoutDigest);
        Assert.Null(CallLifecycle.Apply(Executing(), result.Events[0]).Finished!.Result.Output);
    }

    [Fact]
    public void Finishing_a_call_that_is_not_executing_is_rejected()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        Assert.Equal(RejectionCode.NotExecuting, CallLifecycle.FinishExecution(allowed, Ran(), T0).Rejection!.Code);
    }

    [Fact]
    public void Finishing_a_completed_call_is_rejected()
    {
        var done = Accepted(CallLifecycle.FinishExecution(Executing(), Ran(), T0.AddSeconds(2))).State;

        Assert.Equal(RejectionCode.AlreadyTerminal, CallLifecycle.FinishExecution(done, Ran(), T0.AddSeconds(3)).Rejection!.Code);
    }

    [Fact]
    public void Failing_a_call_completes_it_as_failed_with_the_detail()
    {
        var allowed = Accepted(CallLifecycle.Decide(Received(), Allow(), T0)).State;

        var result = Accepted(CallLifecycle.Fail(allowed, "no sandbox can be applied", T0));

        Assert.Equal(CallOutcome.Failed, result.State.Outcome);
        Assert.Equal("no sandbox can be applied", result.State.Completion!.Detail);
    }

    [Fact]
    public void Interrupting_a_running_call_ends_it_as_interrupted()
    {
        var result = Accepted(CallLifecycle.Interrupt(Executing(), "cancelled by operator", T0.AddSeconds(5)));

        Assert.Equal(CallStatus.Interrupted, result.State.Status);
        Assert.Equal(CallOutcome.Interrupted, result.State.Outcome);
    }

    [Fact]
    public void Interrupting_a_finished_call_is_rejected()
    {
        var done = Accepted(CallLifecycle.FinishExecution(Executing(), Ran(), T0.AddSeconds(2))).State;

        Assert.Equal(RejectionCode.AlreadyTerminal, CallLifecycle.Interrupt(done, "late", T0.AddSeconds(3)).Rejection!.Code);
    }

    [Fact]
    public void Replaying_the_events_of_a_decider_rebuilds_the_same_state()
    {
        var received = CallLifecycle.Receive(CallState.New(Id), Bash("git push"), CallIntent.Execute, Ask(), T0);
        var answered = CallLifecycle.AnswerApproval(received.State, Approve(), T0.AddMinutes(1));
        var started = CallLifecycle.StartExecution(answered.State, "linux", "d", T0.AddMinutes(1));
        var finished = CallLifecycle.FinishExecution(started.State, Ran(), T0.AddMinutes(2));

        var replayed = CallLifecycle.Replay(Id, EventsOf(received, answered, started, finished));

        Assert.Equal(CallStatus.Completed, replayed.Status);
        Assert.Equal(finished.State.Completion, replayed.Completion);
        Assert.Equal(finished.State.Answer, replayed.Answer);
    }

    [Fact]
    public void The_combined_event_and_the_separate_events_fold_to_the_same_decision()
    {
        var combined = CallLifecycle.Receive(CallState.New(Id), Bash("ls"), CallIntent.Execute, Allow(), T0);
        var separate = CallLifecycle.Decide(Received("ls"), Allow(), T0);

        Assert.Equal(separate.State.Status, combined.State.Status);
        Assert.Equal(separate.State.Decided, combined.State.Decided);
        Assert.Equal(separate.State.Received! with { Call = combined.State.Call! }, combined.State.Received);
        Assert.Equal(separate.State.Call!.InputValue(ToolInputKeys.Command), combined.State.Call!.InputValue(ToolInputKeys.Command));
    }

    [Fact]
    public void Applying_an_event_that_cannot_follow_the_state_throws()
    {
        Assert.Throws<InvalidOperationException>(() =>
            CallLifecycle.Apply(CallState.New(Id), new ExecutionFinished(Id, Ran(), T0)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_decision_recorded_after_an_undecided_call_ended_is_its_decision_and_the_end_stands(bool completedRatherThanInterrupted)
    {
        // History and replay take such a decision as the call's (HistoryModelFold, HistoryTally); the session's own
        // recovery must fold it too rather than call the session's journal broken.
        var decided = Assert.IsType<CallDecided>(CallLifecycle.Decide(Received("ls"), Allow(), T0).Events[0]);
        CallEvent end = completedRatherThanInterrupted
            ? new CallCompleted(Id, CallOutcome.Failed, null, "the stage did not answer", T0)
            : new CallInterrupted(Id, "restart", T0);
        var ended = CallLifecycle.Apply(Received("ls"), end);

        var after = CallLifecycle.Apply(ended, decided);

        Assert.Equal(ended.Status, after.Status);
        Assert.Equal(decided, after.Decided);
        Assert.Equal(ended.Completion, after.Completion);
        Assert.Equal(ended.Interruption, after.Interruption);
        Assert.False(CallLifecycle.IsExecutable(after));
    }

    [Fact]
    public void A_second_decision_after_the_end_of_a_decided_call_is_still_refused()
    {
        var denied = CallLifecycle.Decide(Received("ls"), Deny(), T0);
        Assert.Equal(CallStatus.Completed, denied.State.Status);

        Assert.Throws<InvalidOperationException>(() => CallLifecycle.Apply(denied.State, Assert.IsType<CallDecided>(denied.Events[0])));
    }

    [Fact]
    public void Applying_an_event_of_another_call_throws()
    {
        Assert.Throws<InvalidOperationException>(() =>
            CallLifecycle.Apply(Received(), new CallInterrupted(new CallId("other"), "x", T0)));
    }
}
