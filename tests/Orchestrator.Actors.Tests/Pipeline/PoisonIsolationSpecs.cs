using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Stages;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A message a stage cannot handle fails its own call, at once; the stage is never stopped by input.</summary>
public sealed class PoisonIsolationSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    // A short stage timeout: a poisoned call that waited for it instead of being refused would show as a timeout reason.
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { StageTimeout = TimeSpan.FromSeconds(20) };

    private static ToolCall Poisoned(int i) => PipelinePolicy.Bash($"poison-{i % 10}", "ls", id: $"poison-{i}") with
    {
        // What the server's validation refuses, sent straight to the pipeline: the policy throws on it.
        Input = ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, null!),
    };

    [Fact]
    public async Task A_hundred_poisoned_calls_at_once_each_fail_alone_and_fast_while_the_policy_stage_keeps_serving()
    {
        var sessions = await SessionsAsync();
        var policy = await RegisteredAsync<PolicyActor>();

        var poisoned = Enumerable.Range(0, 100)
            .Select(i => sessions.Ask<object>(new SubmitCall(Poisoned(i), CallIntent.DecideOnly), Patience)).ToList();
        var healthy = Enumerable.Range(0, 20)
            .Select(i => sessions.Ask<object>(new SubmitCall(PipelinePolicy.Bash($"healthy-{i % 4}", "ls"), CallIntent.DecideOnly), Patience)).ToList();

        foreach (var answer in await Task.WhenAll(poisoned))
        {
            var refused = Assert.IsType<CallNotAccepted>(answer);
            Assert.Contains("the policy stage failed on this call", refused.Reason);
        }
        foreach (var answer in await Task.WhenAll(healthy))
            Assert.Equal(CallOutcome.DecidedOnly, Assert.IsType<CallAccepted>(answer).State.Outcome);

        // The same policy actor still answers: it was neither stopped nor replaced.
        Assert.Same(policy, await RegisteredAsync<PolicyActor>());
        Assert.True((await policy.Ask<StageStatus>(GetStageStatus.Instance, Patience)).Ready);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.PersistenceId.StartsWith("session-poison-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_policy_stage_answers_a_message_it_cannot_handle_with_a_refusal_instead_of_crashing()
    {
        var sessions = await SessionsAsync();
        var policy = await RegisteredAsync<PolicyActor>();
        for (var i = 0; i < 50; i++)
        {
            var refused = await policy.Ask<StageRefused>(new EvaluateCall(null!, false), Patience);
            Assert.Equal(PolicyActor.StageName, refused.Stage);
        }
        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("after", "ls"), CallIntent.DecideOnly), Patience);
        Assert.Equal(CallOutcome.DecidedOnly, accepted.State.Outcome);
    }

    [Fact]
    public async Task An_approval_event_the_index_cannot_apply_is_left_out_and_every_other_approval_is_still_served()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("ops-poison", "git push");
        var real = (await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience)).State.PendingApproval!;

        var at = DateTimeOffset.UtcNow;
        var broken = new ApprovalRequested(new CallId("broken"), new ApprovalId("broken-approval"), new AgentId("a"), new SessionId("elsewhere"),
            "Bash", null!, "Bash: ?", ReasonClass.RuleAsk, "ask", GrantScope.Session, "operators", 0, at, at.AddMinutes(10));
        var answer = new ApprovalAnswered(new CallId("broken"), new ApprovalId("broken-approval"), true, GrantScope.Session, null, "alice", at);
        var broker = await Sys.ActorSelection("/user/orchestrator/approvals/approvals").ResolveOne(Patience);
        broker.Tell(new ApprovalEventsRecorded([broken, answer]));

        // The same broker incarnation (not restarted, its mailbox not lost) lists the real approval and answers it.
        // The session tells the broker through its backoff supervisor, so the real request may arrive after the test's messages.
        await AwaitAssertAsync(async () =>
            Assert.Contains((await broker.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals, a => a.ApprovalId == real.ApprovalId), Patience);
        Assert.Equal(broker, await Sys.ActorSelection("/user/orchestrator/approvals/approvals").ResolveOne(Patience));
        var accepted = await broker.Ask<object>(new SubmitApprovalAnswer(new ApprovalAnswer(real.ApprovalId, false, GrantScope.Once, "no", "alice")), Patience);
        Assert.IsType<ApprovalAnswerAccepted>(accepted);
    }
}
