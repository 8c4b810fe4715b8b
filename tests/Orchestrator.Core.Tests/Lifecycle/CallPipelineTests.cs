using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

public class CallPipelineTests
{
    internal sealed record TestPlan(string SandboxKind = "linux", string ProfileDigest = "sha256:profile") : IExecutionPlan;

    private sealed record LayeredPlan(string SandboxKind, string ProfileDigest, RecordedLayers RecordedLayers) : IExecutionPlan;

    internal static readonly PipelineSettings Runs = new() { Executes = true };
    private static readonly ApprovalId Fresh = new("approval-fresh");

    private static VerdictSummary Allowed => Verdict(Decision.Allow, ReasonClass.ReadOnly);
    private static VerdictSummary Asked => Verdict(Decision.Ask);
    private static VerdictSummary Denied => Verdict(Decision.Deny, ReasonClass.RuleDeny);

    private static PipelineRun Submitted(PipelineSettings settings, CallIntent intent = CallIntent.Execute, string command = "git push origin main")
    {
        var run = new PipelineRun(settings);
        run.Feed(new CallInput.Submitted(Bash(command), intent, T0));
        return run;
    }

    internal static HookConfiguration HooksForBash()
    {
        var json = """{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 5}]}]}}""";
        var hooks = (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(json), "s.json")).Find("hooks")!.Value;
        return HookConfiguration.Parse([hooks], "/proj", "/home/u");
    }

    [Fact]
    public void A_submission_without_hooks_asks_the_policy_under_a_deadline_and_records_nothing_yet()
    {
        var run = Submitted(Runs);

        Assert.Empty(run.Last.Events);
        Assert.Equal(CallStatus.New, run.State.Status);
        Assert.Equal(AwaitedStage.Policy, run.State.Work!.Awaiting);
        Assert.True(run.Effect<CallEffect.EvaluatePolicy>().Sandboxed);
        Assert.Equal(Runs.StageTimeout, run.Effect<CallEffect.StartStageTimer>().Timeout);
    }

    [Fact]
    public void An_allowed_call_is_one_write_then_ExecutionStarted_durably_before_the_run_then_its_end()
    {
        var run = Submitted(Runs);

        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        Assert.IsType<CallReceivedAndDecided>(Assert.Single(run.Last.Events));
        Assert.IsType<CallEffect.AcknowledgeSubmission>(run.Effects[0]);
        Assert.Contains(run.Effects, e => e is CallEffect.CancelStageTimer);
        Assert.Equal(Allowed.Mode, run.Effect<CallEffect.PlanExecution>().Mode);

        var plan = new TestPlan();
        run.Feed(new CallInput.ExecutionPlanned(plan, T0));
        var started = Assert.IsType<ExecutionStarted>(Assert.Single(run.Last.Events));
        Assert.Equal("sha256:profile", started.ProfileDigest);
        Assert.True(run.Last.PersistBeforeEffects);
        Assert.Same(plan, run.Effect<CallEffect.Execute>().Plan);

        run.Feed(new CallInput.ExecutionFinished(Ran(3), T0.AddSeconds(1)));
        Assert.Equal([typeof(ExecutionFinished), typeof(CallCompleted)], run.Last.Events.Select(e => e.GetType()));
        Assert.Equal(CallOutcome.AllowedAndRan, run.State.Outcome);
        Assert.Equal(3, run.State.Completion!.ExitCode);
        run.Effect<CallEffect.AnswerWatchers>();
        Assert.Null(run.State.Work);
    }

    [Fact]
    public void ExecutionStarted_records_the_layers_the_plan_says_its_sandbox_applies()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        var layers = new RecordedLayers(["landlock abi 6", "seccomp"], ["landlock tcp deny (needs abi 4)"]);

        run.Feed(new CallInput.ExecutionPlanned(new LayeredPlan("linux-builtin", "sha256:p", layers), T0));

        var started = Assert.IsType<ExecutionStarted>(Assert.Single(run.Last.Events));
        Assert.Same(layers, started.Layers);
        Assert.Equal("linux-builtin: active [landlock abi 6, seccomp]; unavailable [landlock tcp deny (needs abi 4)]", run.State.Execution!.DescribeSandbox());
    }

    [Fact]
    public void A_denied_call_is_recorded_in_one_event_and_never_runs()
    {
        var run = Submitted(Runs);

        run.Feed(new CallInput.PolicyAnswered(Denied, T0));

        var only = Assert.IsType<CallReceivedAndDecided>(Assert.Single(run.Last.Events));
        Assert.NotNull(only.Completed);
        Assert.Equal(CallOutcome.Denied, run.State.Outcome);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.PlanExecution or CallEffect.Execute);
        run.Effect<CallEffect.AnswerWatchers>();
    }

    [Fact]
    public void The_policy_and_the_broker_are_each_asked_under_the_stage_deadline_with_a_reason_naming_them()
    {
        var seconds = $"{Runs.StageTimeout.TotalSeconds:0.#} s";
        var run = Submitted(Runs);
        var policy = run.Effect<CallEffect.StartStageTimer>();
        Assert.Equal((Runs.StageTimeout, $"policy evaluation failed: no verdict within {seconds}"), (policy.Timeout, policy.Reason));

        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        var broker = run.Effect<CallEffect.StartStageTimer>();
        Assert.Equal((Runs.StageTimeout, $"the approval broker did not answer within {seconds}"), (broker.Timeout, broker.Reason));

        // Nothing is recorded before the grant's answer: the submission is refused with that reason.
        run.Feed(new CallInput.StageFailed(broker.Reason, T0.AddSeconds(31)));
        Assert.Equal(broker.Reason, run.Effect<CallEffect.RefuseSubmission>().Reason);
    }

    [Fact]
    public void An_ask_looks_for_a_grant_then_requests_approval_with_the_id_it_was_given()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        Assert.Equal(Decision.Ask, run.Effect<CallEffect.FindGrant>().Decision);
        Assert.Empty(run.Last.Events);

        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        Assert.Equal(CallStatus.AwaitingApproval, run.State.Status);
        Assert.Equal(Fresh, run.State.PendingApproval!.ApprovalId);
        var deadline = run.Effect<CallEffect.ScheduleApprovalDeadline>();
        Assert.Equal(T0 + Runs.ApprovalTimeout, deadline.Due);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.PlanExecution);
    }

    [Fact]
    public void An_ask_covered_by_a_grant_runs_without_an_approval_request()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));

        run.Feed(new CallInput.GrantAnswered(new GrantId("grant-1"), Fresh, T0));

        Assert.Equal(CallStatus.Approved, run.State.Status);
        Assert.Null(run.State.LastApproval);
        run.Effect<CallEffect.PlanExecution>();
    }

    [Fact]
    public void The_automatic_approver_answers_in_the_same_write_as_the_decision()
    {
        var run = Submitted(Runs with { Approver = AutomaticApprover.AutoApprove });
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));

        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        Assert.Equal([typeof(CallReceivedAndDecided), typeof(ApprovalRequested), typeof(ApprovalAnswered)], run.Last.Events.Select(e => e.GetType()));
        Assert.Equal("auto-approve", run.State.Answer!.AnsweredBy);
        run.Effect<CallEffect.PlanExecution>();
    }

    [Fact]
    public void A_decide_only_ask_answered_automatically_is_compacted_into_one_event()
    {
        var run = Submitted(Runs with { Approver = AutomaticApprover.AutoDeny }, CallIntent.DecideOnly);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));

        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        var only = Assert.IsType<CallReceivedAndDecided>(Assert.Single(run.Last.Events));
        Assert.NotNull(only.Answered);
        Assert.Equal(CallOutcome.ApprovalDenied, run.State.Outcome);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.PlanExecution);
    }

    [Fact]
    public void An_approved_call_is_judged_again_by_the_current_policy_before_it_runs()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        run.Feed(new CallInput.ApprovalAnswerGiven(Approve(Fresh), T0.AddMinutes(1)));
        Assert.IsType<ApprovalAnswered>(Assert.Single(run.Last.Events));
        Assert.Equal(AwaitedStage.Clearance, run.State.Work!.Awaiting);
        run.Effect<CallEffect.EvaluatePolicy>();
        run.Effect<CallEffect.CancelApprovalDeadline>();

        var looser = Allowed with { Mode = Allowed.Mode with { Sandbox = SandboxMode.DangerFullAccess } };
        run.Feed(new CallInput.PolicyAnswered(looser, T0.AddMinutes(1)));
        Assert.Equal(SandboxMode.WorkspaceWrite, run.Effect<CallEffect.PlanExecution>().Mode.Sandbox);
    }

    [Fact]
    public void An_approved_call_the_current_policy_denies_fails_without_running()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        run.Feed(new CallInput.ApprovalAnswerGiven(Approve(Fresh), T0.AddMinutes(1)));

        run.Feed(new CallInput.PolicyAnswered(Denied, T0.AddMinutes(1)));

        Assert.Equal(CallOutcome.Failed, run.State.Outcome);
        Assert.Contains("the current policy denies this call", run.State.Completion!.Detail);
        Assert.DoesNotContain(run.History, e => e is ExecutionStarted);
    }

    [Fact]
    public void A_duplicate_answer_is_rejected_with_the_answer_that_stands()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        run.Feed(new CallInput.ApprovalAnswerGiven(Refuse(Fresh), T0.AddMinutes(1)));
        var before = run.State;

        var step = run.Feed(new CallInput.ApprovalAnswerGiven(Approve(Fresh), T0.AddMinutes(2)));

        Assert.Equal(RejectionCode.DuplicateAnswer, step.Rejection!.Code);
        Assert.Equal("bob", step.Rejection.FirstAnswer!.AnsweredBy);
        Assert.Same(before, step.State);
        Assert.Empty(step.Events);
    }

    [Fact]
    public void A_deadline_before_its_time_is_scheduled_again_and_at_its_time_denies_the_call()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));

        run.Feed(new CallInput.ApprovalDeadlineReached(Fresh, new ApprovalId("unused"), T0.AddMinutes(1)));
        Assert.Empty(run.Last.Events);
        Assert.Equal(T0 + Runs.ApprovalTimeout, run.Effect<CallEffect.ScheduleApprovalDeadline>().Due);

        run.Feed(new CallInput.ApprovalDeadlineReached(Fresh, new ApprovalId("unused"), T0 + Runs.ApprovalTimeout));
        Assert.Equal(CallOutcome.ApprovalTimedOut, run.State.Outcome);
    }

    [Fact]
    public void A_deadline_with_an_escalation_policy_opens_a_fresh_request_for_the_target_group()
    {
        var settings = Runs with { Escalation = new EscalationPolicy("leads", TimeSpan.FromMinutes(5)) };
        var run = Submitted(settings);
        run.Feed(new CallInput.PolicyAnswered(Asked, T0));
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        var escalated = new ApprovalId("approval-escalated");

        run.Feed(new CallInput.ApprovalDeadlineReached(Fresh, escalated, T0 + settings.ApprovalTimeout));

        Assert.Equal(escalated, run.State.PendingApproval!.ApprovalId);
        Assert.Equal("leads", run.State.PendingApproval.ApproverGroup);
        Assert.Equal(escalated, run.Effect<CallEffect.ScheduleApprovalDeadline>().ApprovalId);
    }

    [Fact]
    public void The_judging_workspaces_hooks_run_once_after_the_call_is_recorded_and_a_rewrite_is_judged_again_and_is_what_runs()
    {
        var run = Submitted(Runs, command: "ls");
        Assert.Empty(run.Last.Events);

        var hooks = HooksForBash();
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = hooks });
        Assert.IsType<CallReceived>(Assert.Single(run.Last.Events));
        Assert.IsType<CallEffect.AcknowledgeSubmission>(run.Effects[0]);
        Assert.Equal("default", run.Effect<CallEffect.RunHooks>().PermissionMode);
        Assert.Same(hooks, run.Effect<CallEffect.RunHooks>().Hooks);
        Assert.Equal(TimeSpan.FromSeconds(5) + Runs.StageTimeout, run.Effect<CallEffect.StartStageTimer>().Timeout);

        var rewritten = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, "ls -la");
        HookResult hook = new("check", "./check.sh", 0, null, "rewrote", TimeSpan.FromMilliseconds(3), null);
        run.Feed(new CallInput.HooksAnswered([hook], rewritten, T0));
        Assert.Equal("ls -la", run.Effect<CallEffect.EvaluatePolicy>().Call.Input[ToolInputKeys.Command]);

        run.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = hooks });
        var decided = Assert.IsType<CallDecided>(Assert.Single(run.Last.Events));
        Assert.Equal(hook, Assert.Single(decided.Hooks));
        Assert.Equal("ls -la", decided.UpdatedInput![ToolInputKeys.Command]);
        Assert.Equal("ls -la", run.Effect<CallEffect.PlanExecution>().Call.Input[ToolInputKeys.Command]);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.RunHooks);
    }

    [Fact]
    public void A_verdict_from_a_workspace_without_hooks_for_the_tool_decides_in_one_write()
    {
        var run = Submitted(Runs, CallIntent.DecideOnly, command: "ls");

        run.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = HookConfiguration.Empty });
        var other = Submitted(Runs, CallIntent.DecideOnly, command: "ls");
        other.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = HooksForBash() });

        Assert.IsType<CallReceivedAndDecided>(Assert.Single(run.Last.Events));
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.RunHooks);
        Assert.IsType<CallReceived>(Assert.Single(other.Last.Events));
        other.Effect<CallEffect.RunHooks>();
    }

    [Fact]
    public void With_capped_runs_a_call_waits_for_a_slot_recorded_as_queued_and_releases_it_at_the_end()
    {
        var run = Submitted(Runs with { LimitsRuns = true });
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        run.Feed(new CallInput.ExecutionPlanned(new TestPlan(), T0));
        Assert.Equal(new AgentId("agent-1"), run.Effect<CallEffect.RequestSlot>().Agent);

        run.Feed(new CallInput.SlotQueued("4 runs going", T0));
        Assert.IsType<ExecutionQueued>(Assert.Single(run.Last.Events));
        run.Feed(new CallInput.SlotQueued("4 runs going", T0));
        Assert.Empty(run.Last.Events);

        run.Feed(new CallInput.SlotGranted(T0.AddSeconds(1)));
        Assert.IsType<ExecutionStarted>(Assert.Single(run.Last.Events));

        run.Feed(new CallInput.ExecutionFinished(Ran(), T0.AddSeconds(2)));
        run.Effect<CallEffect.ReleaseSlot>();
    }

    [Fact]
    public void A_refused_slot_fails_the_call_and_gives_back_its_place()
    {
        var run = Submitted(Runs with { LimitsRuns = true });
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        run.Feed(new CallInput.ExecutionPlanned(new TestPlan(), T0));

        run.Feed(new CallInput.SlotRefused("too many executions waiting", T0));

        Assert.Equal(CallOutcome.Failed, run.State.Outcome);
        run.Effect<CallEffect.ReleaseSlot>();
    }

    [Theory]
    [InlineData(true, CallStatus.Interrupted)]
    [InlineData(false, CallStatus.Completed)]
    public void A_run_that_fails_is_interrupted_when_its_process_may_have_started_else_failed(bool mayHaveStarted, CallStatus expected)
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        run.Feed(new CallInput.ExecutionPlanned(new TestPlan(), T0));

        run.Feed(new CallInput.ExecutionFailed("worker died", mayHaveStarted, T0));

        Assert.Equal(expected, run.State.Status);
        Assert.Equal(mayHaveStarted ? CallOutcome.Interrupted : CallOutcome.Failed, run.State.Outcome);
    }

    [Fact]
    public void A_stage_failing_before_anything_is_recorded_refuses_the_submission_and_a_late_verdict_changes_nothing()
    {
        var run = Submitted(Runs);

        run.Feed(new CallInput.StageFailed("the policy stage failed on this call: boom", T0));
        Assert.Empty(run.Last.Events);
        Assert.Contains("boom", run.Effect<CallEffect.RefuseSubmission>().Reason);
        Assert.Null(run.State.Work);

        var late = run.Feed(new CallInput.PolicyAnswered(Allowed, T0));
        Assert.Empty(late.Events);
        Assert.Empty(late.Effects);
    }

    [Fact]
    public void A_stage_failing_after_the_call_is_recorded_fails_it_in_the_history()
    {
        var run = Submitted(Runs, command: "ls");
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = HooksForBash() });

        run.Feed(new CallInput.StageFailed("the hooks did not answer", T0));

        Assert.Equal(CallOutcome.Failed, run.State.Outcome);
        Assert.Equal("the hooks did not answer", run.State.Completion!.Detail);
    }

    [Fact]
    public void Without_execution_an_allowed_call_that_executes_fails_and_says_so()
    {
        var run = Submitted(PipelineSettings.DecideOnly);

        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));

        Assert.Equal(CallPipeline.ExecutionDisabled, run.State.Completion!.Detail);
    }

    [Fact]
    public void A_plan_the_sandbox_refuses_fails_the_call()
    {
        var run = Submitted(Runs);
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));

        run.Feed(new CallInput.ExecutionPlanRefused("network off cannot be enforced", T0));

        Assert.Equal(CallOutcome.Failed, run.State.Outcome);
        Assert.DoesNotContain(run.History, e => e is ExecutionStarted);
    }

    [Fact]
    public void A_decide_only_allow_completes_in_one_event_with_no_execution_effects()
    {
        var run = Submitted(PipelineSettings.DecideOnly, CallIntent.DecideOnly);

        run.Feed(new CallInput.PolicyAnswered(Allowed, T0));

        Assert.Single(run.History);
        Assert.Equal(CallOutcome.DecidedOnly, run.State.Outcome);
        Assert.False(run.Effects.Any(e => e is CallEffect.EvaluatePolicy or CallEffect.PlanExecution));
    }
}
