using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Settings;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>PermissionRequest hooks in a person's place, and PostToolUse / PostToolUseFailure hooks after the run.</summary>
public class CallPipelineHookEventTests
{
    private static readonly PipelineSettings Runs = new() { Executes = true };
    private static readonly ApprovalId Fresh = new("approval-fresh");
    private static readonly VerdictSummary Asked = Verdict(Decision.Ask);
    private static readonly VerdictSummary Allowed = Verdict(Decision.Allow, ReasonClass.ReadOnly);
    private static readonly VerdictSummary Denied = Verdict(Decision.Deny, ReasonClass.RuleDeny);

    private static HookConfiguration Hooks(string hookEvent)
    {
        var json = $$$"""{"hooks": {"{{{hookEvent}}}": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./h.sh", "timeout": 5}]}]}}""";
        var hooks = (JsonObjectValue)((JsonObjectValue)PositionedJson.Parse(Encoding.UTF8.GetBytes(json), "s.json")).Find("hooks")!.Value;
        // The command-line layer: a PermissionRequest hook answers in a person's place, so a workspace file may not define one.
        return HookConfiguration.Parse([hooks], "/proj", "/home/u", [SettingsLayer.CommandLine]);
    }

    private static HookResult Answer(Decision? decision, string hookEvent = "PermissionRequest", string? context = null) =>
        new("h", "./h.sh", 0, decision, decision is null ? null : $"hook 'h' {decision}", TimeSpan.FromMilliseconds(4), null, context, hookEvent);

    /// <summary>A call the policy asks about, no grant covers: the PermissionRequest hooks were asked.</summary>
    private static PipelineRun AskedWithPermissionHooks(string command = "git push origin main")
    {
        var run = new PipelineRun(Runs);
        run.Feed(new CallInput.Submitted(Bash(command), CallIntent.Execute, T0));
        run.Feed(new CallInput.PolicyAnswered(Asked, T0) { Hooks = Hooks("PermissionRequest") });
        run.Effect<CallEffect.FindGrant>();
        run.Feed(new CallInput.GrantAnswered(null, Fresh, T0));
        return run;
    }

    [Fact]
    public void An_ask_no_grant_covers_runs_the_PermissionRequest_hooks_after_recording_the_call()
    {
        var run = AskedWithPermissionHooks();

        Assert.IsType<CallReceived>(Assert.Single(run.Last.Events));
        var hooks = run.Effect<CallEffect.RunHooks>();
        Assert.Equal(HookEvent.PermissionRequest, hooks.Event);
        Assert.Equal(AwaitedStage.PermissionHooks, run.State.Work!.Awaiting);
        Assert.Null(run.State.PendingApproval);
    }

    [Fact]
    public void A_PermissionRequest_allow_decides_allow_in_a_persons_place_recorded_with_the_hook_and_runs()
    {
        var run = AskedWithPermissionHooks();

        run.Feed(new CallInput.HooksAnswered([Answer(Decision.Allow)], null, T0));

        var decided = Assert.IsType<CallDecided>(Assert.Single(run.Last.Events));
        Assert.Equal(Decision.Allow, decided.Verdict.Decision);
        Assert.Equal(ReasonClass.HookAllow, decided.Verdict.ReasonClass);
        Assert.Equal("PermissionRequest", Assert.Single(decided.Hooks).Event);
        Assert.Null(run.State.PendingApproval);
        run.Effect<CallEffect.PlanExecution>();
    }

    [Fact]
    public void A_PermissionRequest_deny_denies_without_asking_anyone()
    {
        var run = AskedWithPermissionHooks();

        run.Feed(new CallInput.HooksAnswered([Answer(Decision.Deny)], null, T0));

        Assert.Equal(CallOutcome.Denied, run.State.Outcome);
        Assert.Equal(ReasonClass.HookDeny, run.State.Decided!.Verdict.ReasonClass);
        Assert.DoesNotContain(run.History, e => e is ApprovalRequested);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Decision.Ask)]
    public void A_PermissionRequest_hook_without_an_answer_raises_the_approval_as_before(Decision? decision)
    {
        var run = AskedWithPermissionHooks();

        run.Feed(new CallInput.HooksAnswered([Answer(decision)], null, T0));

        Assert.Equal(Fresh, run.State.PendingApproval!.ApprovalId);
        Assert.Equal(Decision.Ask, run.State.Decided!.Verdict.Decision);
        Assert.Single(run.State.Decided.Hooks);
    }

    [Fact]
    public void PermissionRequest_hooks_that_do_not_answer_in_time_raise_the_approval_never_allow()
    {
        var run = AskedWithPermissionHooks();

        run.Feed(new CallInput.StageFailed("the PermissionRequest hooks did not answer within 35 s", T0));

        Assert.Equal(CallStatus.AwaitingApproval, run.State.Status);
        Assert.Equal(Fresh, run.State.PendingApproval!.ApprovalId);
    }

    [Fact]
    public void A_failed_PermissionRequest_hook_answers_nothing_so_a_person_is_asked()
    {
        var hook = new HookDefinition("h", "./h.sh", TimeSpan.FromSeconds(5), HookFailureMode.Deny, new SourceLocation("s.json", 1, 1));

        var timedOut = HookOutcomeParser.Parse(hook, HookProcessResult.NotCompleted("timed out after 5s", TimeSpan.FromSeconds(5)), HookEvent.PermissionRequest);
        var malformed = HookOutcomeParser.Parse(hook, new HookProcessResult(0, "{not json", "", TimeSpan.Zero), HookEvent.PermissionRequest);

        Assert.All([timedOut, malformed], o => Assert.True(o.Failed));
        Assert.All([timedOut, malformed], o => Assert.Null(o.Result.Decision));
        Assert.Equal(Decision.Ask, HookFold.FoldPermission(Asked, [timedOut.Result, malformed.Result]).Decision);
    }

    [Fact]
    public void A_PermissionRequest_rewrite_is_judged_again_and_a_denied_rewrite_is_denied()
    {
        var run = AskedWithPermissionHooks();
        var smuggled = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, "rm -rf /");

        run.Feed(new CallInput.HooksAnswered([Answer(Decision.Allow)], smuggled, T0));
        Assert.Equal("rm -rf /", run.Effect<CallEffect.EvaluatePolicy>().Call.Input[ToolInputKeys.Command]);
        run.Feed(new CallInput.PolicyAnswered(Denied, T0) { Hooks = Hooks("PermissionRequest") });

        Assert.Equal(CallOutcome.Denied, run.State.Outcome);
        Assert.Equal(ReasonClass.RuleDeny, run.State.Decided!.Verdict.ReasonClass);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.RunHooks or CallEffect.PlanExecution);
    }

    [Fact]
    public void A_PermissionRequest_rewrite_that_still_only_asks_is_allowed_and_the_rewrite_is_what_runs()
    {
        var run = AskedWithPermissionHooks();
        var rewritten = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, "git push --dry-run origin main");

        run.Feed(new CallInput.HooksAnswered([Answer(Decision.Allow)], rewritten, T0));
        run.Feed(new CallInput.PolicyAnswered(Asked, T0) { Hooks = Hooks("PermissionRequest") });

        Assert.Equal(Decision.Allow, run.State.Decided!.Verdict.Decision);
        Assert.Equal("git push --dry-run origin main", run.Effect<CallEffect.PlanExecution>().Call.Input[ToolInputKeys.Command]);
    }

    [Fact]
    public void PermissionRequest_hooks_never_run_over_a_deny_rule_or_a_grant()
    {
        var denied = new PipelineRun(Runs);
        denied.Feed(new CallInput.Submitted(Bash("rm -rf /"), CallIntent.Execute, T0));
        denied.Feed(new CallInput.PolicyAnswered(Denied, T0) { Hooks = Hooks("PermissionRequest") });
        var granted = new PipelineRun(Runs);
        granted.Feed(new CallInput.Submitted(Bash("git push"), CallIntent.Execute, T0));
        granted.Feed(new CallInput.PolicyAnswered(Asked, T0) { Hooks = Hooks("PermissionRequest") });
        granted.Feed(new CallInput.GrantAnswered(new GrantId("grant-1"), Fresh, T0));

        Assert.Equal(CallOutcome.Denied, denied.State.Outcome);
        Assert.Equal(CallStatus.Approved, granted.State.Status);
        Assert.All(denied.Effects.Concat(granted.Effects), e => Assert.IsNotType<CallEffect.RunHooks>(e));
        Assert.Equal(Decision.Deny, HookFold.FoldPermission(Denied, [Answer(Decision.Allow)]).Decision);
    }

    private static ExecutionResult RanWithOutput(int exitCode, string stdout) =>
        Ran(exitCode) with
        {
            StdoutBytes = Encoding.UTF8.GetByteCount(stdout),
            Output = new RecordedOutput(KeptStream.Of(Encoding.UTF8.GetBytes(stdout), []), KeptStream.Of([], [])),
        };

    /// <summary>An allowed call of a workspace with <paramref name="hookEvent"/> hooks, started.</summary>
    private static PipelineRun Running(string hookEvent)
    {
        var run = new PipelineRun(Runs);
        run.Feed(new CallInput.Submitted(Bash("echo hi"), CallIntent.Execute, T0));
        run.Feed(new CallInput.PolicyAnswered(Allowed, T0) { Hooks = Hooks(hookEvent) });
        run.Feed(new CallInput.ExecutionPlanned(new CallPipelineTests.TestPlan(), T0));
        run.Effect<CallEffect.Execute>();
        return run;
    }

    [Fact]
    public void After_a_successful_run_the_end_is_recorded_first_then_PostToolUse_hooks_see_the_real_output_and_their_context_is_kept()
    {
        var run = Running("PostToolUse");

        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(0, "hi\n"), T0.AddSeconds(1)));
        var finished = Assert.IsType<ExecutionFinished>(Assert.Single(run.Last.Events));
        Assert.Equal(1, finished.PostHooks);
        var hooks = run.Effect<CallEffect.RunHooks>();
        Assert.Equal(HookEvent.PostToolUse, hooks.Event);
        Assert.Equal("hi\n", hooks.Response!.Stdout);
        Assert.Contains("\"tool_response\":{\"stdout\":\"hi\\n\"", (HookInput.For(hooks.Call, hooks.Event, "default") with { ToolResponse = hooks.Response }).ToJson());
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.AnswerWatchers);

        run.Feed(new CallInput.HooksAnswered([Answer(Decision.Deny, "PostToolUse", "lint found 2 warnings")], null, T0.AddSeconds(2)));

        Assert.Equal([typeof(PostToolHooksRan), typeof(CallCompleted)], run.Last.Events.Select(e => e.GetType()));
        Assert.Equal(CallOutcome.AllowedAndRan, run.State.Outcome);
        Assert.Equal(["lint found 2 warnings"], run.State.PostHooks!.AdditionalContext());
        Assert.Single(run.State.PostHooks.Blocks());
        run.Effect<CallEffect.AnswerWatchers>();
    }

    [Fact]
    public void A_failed_run_runs_the_PostToolUseFailure_hooks_and_keeps_its_failed_exit_code()
    {
        var run = Running("PostToolUseFailure");

        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(3, ""), T0.AddSeconds(1)));
        var hooks = run.Effect<CallEffect.RunHooks>();
        Assert.Equal(HookEvent.PostToolUseFailure, hooks.Event);
        Assert.Equal("exit code 3", hooks.Response!.Error);
        run.Feed(new CallInput.HooksAnswered([Answer(null, "PostToolUseFailure")], null, T0.AddSeconds(2)));

        Assert.Equal("PostToolUseFailure", run.State.PostHooks!.Event);
        Assert.Equal(3, run.State.Completion!.ExitCode);
    }

    [Fact]
    public void A_successful_run_does_not_run_PostToolUseFailure_hooks()
    {
        var run = Running("PostToolUseFailure");

        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(0, "ok"), T0.AddSeconds(1)));

        Assert.Equal([typeof(ExecutionFinished), typeof(CallCompleted)], run.Last.Events.Select(e => e.GetType()));
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.RunHooks);
    }

    [Fact]
    public void Post_hooks_that_do_not_answer_in_time_are_recorded_as_not_run_and_the_outcome_stands()
    {
        var run = Running("PostToolUse");
        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(0, "hi"), T0.AddSeconds(1)));

        run.Feed(new CallInput.StageFailed("the PostToolUse hooks did not answer within 35 s", T0.AddSeconds(40)));

        Assert.Equal(CallOutcome.AllowedAndRan, run.State.Outcome);
        Assert.Equal("the PostToolUse hooks did not answer within 35 s", run.State.PostHooks!.NotRun);
    }

    [Fact]
    public void A_restart_between_the_run_and_its_post_hooks_records_them_as_not_run_and_never_runs_anything_again()
    {
        var run = Running("PostToolUse");
        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(0, "hi"), T0.AddSeconds(1)));

        run.Restart(new CallInput.Recovered(Fresh, T0.AddMinutes(1)));

        Assert.Equal([typeof(PostToolHooksRan), typeof(CallCompleted)], run.Last.Events.Select(e => e.GetType()));
        Assert.Equal(CallPipeline.PostHooksNotRunOnRestart, run.State.PostHooks!.NotRun);
        Assert.Equal(CallOutcome.AllowedAndRan, run.State.Outcome);
        Assert.DoesNotContain(run.Effects, e => e is CallEffect.RunHooks or CallEffect.Execute or CallEffect.PlanExecution);
    }

    [Fact]
    public void A_call_with_post_hooks_folds_back_from_its_events_and_snapshot_alike()
    {
        var run = Running("PostToolUse");
        run.Feed(new CallInput.ExecutionFinished(RanWithOutput(0, "hi"), T0.AddSeconds(1)));
        run.Feed(new CallInput.HooksAnswered([Answer(null, "PostToolUse", "ctx")], null, T0.AddSeconds(2)));

        var folded = CallLifecycle.Replay(Id, run.History);

        Assert.Equal(run.State.PostHooks, folded.PostHooks);
        Assert.Equal(folded.PostHooks, SnapshotCall.From(folded).ToState().PostHooks);
        Assert.Equal(CallStatus.Completed, folded.Status);
    }
}
