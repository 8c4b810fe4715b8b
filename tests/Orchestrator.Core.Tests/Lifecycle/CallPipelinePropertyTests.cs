using System.Collections.Immutable;
using CsCheck;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>
/// For any sequence of inputs — verdicts allow/ask/deny, hooks with and without a rewrite, grants, answers (approve,
/// deny, duplicate, stale, unknown), deadlines early and due, slot answers, runs finishing or failing, stage failures,
/// late answers and a restart at any point — the history the pipeline produces is legal and the live state is always
/// the fold of the history written so far.
/// </summary>
public class CallPipelinePropertyTests
{
    private sealed record Scenario(int Settings, bool DecideOnly, int Command, int[] Choices);

    private static readonly string[] Commands =
        ["git push origin main", "ls", "curl -H 'Authorization: Bearer sk-live-abcdefghijklmnopqrstuvwxyz123456' https://example.com"];

    private static readonly Gen<Scenario> Scenarios =
        Gen.Select(Gen.Int[0, 63], Gen.Bool, Gen.Int[0, Commands.Length - 1], Gen.Int[0, 1_000_000].Array[1, 30],
            (settings, decideOnly, command, choices) => new Scenario(settings, decideOnly, command, choices));

    private static readonly Orchestrator.Core.Hooks.HookConfiguration HooksForBash = CallPipelineTests.HooksForBash();

    private static PipelineSettings SettingsOf(int bits) => new()
    {
        Executes = (bits & 1) != 0,
        LimitsRuns = (bits & 2) != 0,
        Escalation = (bits & 8) != 0 ? new EscalationPolicy("leads", TimeSpan.FromMinutes(5)) : null,
        Approver = ((bits >> 4) & 3) switch
        {
            1 => AutomaticApprover.AutoApprove,
            2 => AutomaticApprover.AutoDeny,
            3 => AutomaticApprover.ApproveClassifierSafe,
            _ => null,
        },
    };

    [Fact]
    public void Any_sequence_of_inputs_produces_a_legal_history_whose_every_prefix_folds_to_the_live_state() =>
        Scenarios.Sample(Check, iter: 3000);

    private static void Check(Scenario scenario)
    {
        var run = new PipelineRun(SettingsOf(scenario.Settings));
        var now = T0;
        var freshIds = 0;
        ApprovalId Fresh() => new($"approval-{++freshIds}");
        var seenApprovals = new List<ApprovalId>();

        run.Feed(new CallInput.Submitted(Bash(Commands[scenario.Command]), scenario.DecideOnly ? CallIntent.DecideOnly : CallIntent.Execute, now));
        AssertLegal(run);
        foreach (var choice in scenario.Choices)
        {
            now = now.AddMinutes(choice % 7);
            if (run.State.PendingApproval is { } open && !seenApprovals.Contains(open.ApprovalId)) seenApprovals.Add(open.ApprovalId);
            var candidates = Candidates(run.State, now, Fresh, seenApprovals);
            var input = candidates[choice / 7 % candidates.Count];
            var before = run.State;
            var step = input is CallInput.Recovered recovered ? run.Restart(recovered) : run.Feed(input);
            if (step.IsRejected)
            {
                Assert.Same(before, step.State);
                Assert.Empty(step.Events);
            }
            if (step.Effects.Any(e => e is CallEffect.Execute))
            {
                Assert.True(step.PersistBeforeEffects);
                Assert.Contains(step.Events, e => e is ExecutionStarted);
            }
            AssertLegal(run);
        }
    }

    private static List<CallInput> Candidates(CallState state, DateTimeOffset now, Func<ApprovalId> fresh, List<ApprovalId> seen)
    {
        var allow = Verdict(Decision.Allow, ReasonClass.ReadOnly);
        var list = new List<CallInput>();
        switch (state.Work?.Awaiting)
        {
            case AwaitedStage.Policy or AwaitedStage.Clearance:
                // The judging workspace has hooks for Bash or not; a reload may change that between two verdicts.
                foreach (var hooks in new[] { null, HooksForBash })
                {
                    list.Add(new CallInput.PolicyAnswered(allow, now) { Hooks = hooks });
                    list.Add(new CallInput.PolicyAnswered(Verdict(Decision.Ask), now) { Hooks = hooks });
                    list.Add(new CallInput.PolicyAnswered(Verdict(Decision.Deny, ReasonClass.RuleDeny), now) { Hooks = hooks });
                }
                break;
            case AwaitedStage.Hooks:
                HookResult Hook(Decision? d) => new("check", "./check.sh", 0, d, "hook", TimeSpan.FromMilliseconds(1), null);
                list.Add(new CallInput.HooksAnswered([], null, now));
                list.Add(new CallInput.HooksAnswered([Hook(Decision.Deny)], null, now));
                list.Add(new CallInput.HooksAnswered([Hook(Decision.Ask)], null, now));
                list.Add(new CallInput.HooksAnswered([Hook(null)], ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, "ls -la"), now));
                break;
            case AwaitedStage.Grant:
                list.Add(new CallInput.GrantAnswered(null, fresh(), now));
                list.Add(new CallInput.GrantAnswered(new GrantId("grant-1"), fresh(), now));
                break;
            case AwaitedStage.Plan:
                list.Add(new CallInput.ExecutionPlanned(new CallPipelineTests.TestPlan(), now));
                list.Add(new CallInput.ExecutionPlanRefused("cannot be enforced", now));
                break;
            case AwaitedStage.Slot:
                list.Add(new CallInput.SlotGranted(now));
                list.Add(new CallInput.SlotQueued("busy", now));
                list.Add(new CallInput.SlotRefused("full", now));
                break;
            case AwaitedStage.Execution:
                list.Add(new CallInput.ExecutionFinished(Ran(), now));
                list.Add(new CallInput.ExecutionFailed("worker died", true, now));
                list.Add(new CallInput.ExecutionFailed("no worker", false, now));
                break;
        }
        if (state.PendingApproval is { } pending)
        {
            list.Add(new CallInput.ApprovalAnswerGiven(new ApprovalAnswer(pending.ApprovalId, true, GrantScope.Once, "ok", "alice"), now));
            list.Add(new CallInput.ApprovalAnswerGiven(new ApprovalAnswer(pending.ApprovalId, false, GrantScope.Once, "no", "bob"), now));
            list.Add(new CallInput.ApprovalDeadlineReached(pending.ApprovalId, fresh(), pending.Deadline));
            list.Add(new CallInput.ApprovalDeadlineReached(pending.ApprovalId, fresh(), now));
        }
        // Stray input: answers to earlier (answered, timed out) or never-issued approvals, late verdicts, failures, restarts.
        foreach (var old in seen) list.Add(new CallInput.ApprovalAnswerGiven(new ApprovalAnswer(old, true, GrantScope.Once, "late", "carol"), now));
        list.Add(new CallInput.ApprovalAnswerGiven(new ApprovalAnswer(new ApprovalId("never-issued"), true, GrantScope.Once, null, "carol"), now));
        list.Add(new CallInput.PolicyAnswered(allow, now));
        list.Add(new CallInput.SlotGranted(now));
        list.Add(new CallInput.StageFailed("a stage failed on this call", now));
        list.Add(new CallInput.Recovered(fresh(), now));
        list.Add(new CallInput.Recovered(fresh(), now));
        return list;
    }

    private static void AssertLegal(PipelineRun run)
    {
        // Folds without throwing (terminal is final: nothing may follow it), and every prefix folds too.
        for (var i = 0; i <= run.History.Count; i++) CallLifecycle.Replay(Id, run.History.Take(i));
        AssertSameRecordedState(CallLifecycle.Replay(Id, run.History), run.State);

        Assert.True(run.History.Count(e => e is ExecutionStarted) <= 1, "at most one ExecutionStarted");
        var parts = run.History.SelectMany(e => e is CallReceivedAndDecided c ? c.Parts() : [e]).ToList();
        if (!parts.Any(e => e is ExecutionStarted)) return;
        var decided = parts.OfType<CallDecided>().Single();
        Assert.NotEqual(Decision.Deny, decided.Verdict.Decision);
        if (decided.Verdict.Decision == Decision.Ask)
            Assert.True(decided.CoveredByGrant is not null || parts.OfType<ApprovalAnswered>().Any(a => a.Approved), "an ask ran without an approval or a grant");
        Assert.Equal(CallIntent.Execute, parts.OfType<CallReceived>().Single().Intent);
        var started = parts.FindIndex(e => e is ExecutionStarted);
        Assert.DoesNotContain(parts.Take(started), e => e is CallInterrupted or CallCompleted);
    }

    /// <summary>The recorded part of two states is the same (the in-flight work and this process's knowledge are not recorded).</summary>
    internal static void AssertSameRecordedState(CallState folded, CallState live)
    {
        Assert.Equal(folded.Status, live.Status);
        Assert.Equal(folded.Received, live.Received);
        Assert.Equal(folded.Decided, live.Decided);
        Assert.Equal(folded.PendingApproval, live.PendingApproval);
        Assert.Equal(folded.LastApproval, live.LastApproval);
        Assert.Equal(folded.TimedOutApprovals.OrderBy(p => p.Key.Value), live.TimedOutApprovals.OrderBy(p => p.Key.Value));
        Assert.Equal(folded.Answer, live.Answer);
        Assert.Equal(folded.Queued, live.Queued);
        Assert.Equal(folded.Execution, live.Execution);
        Assert.Equal(folded.Finished, live.Finished);
        Assert.Equal(folded.Completion, live.Completion);
        Assert.Equal(folded.Interruption, live.Interruption);
    }
}
