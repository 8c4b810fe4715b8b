using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Stages;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A call whose handling throws fails alone: the session and its other calls carry on.</summary>
public sealed class SessionSupervisionSpecs(ITestOutputHelper output) : PipelineSpec(output)
{
    [Fact]
    public async Task A_poisoned_call_fails_alone_while_the_sessions_other_calls_are_recorded()
    {
        var policy = CreateTestProbe();
        var services = new SessionServices(policy.Ref, CreateTestProbe().Ref, Sys.ActorOf(CallIndex.Props(new CallIdTable(complete: true), FixedCallDirectory.Empty)), PipelineOptions.Default);
        var session = Sys.ActorOf(AgentSessionActor.Props(new SessionId("poison-1"), services));
        var poisoned = PipelinePolicy.Bash("poison-1", "ls", id: "poisoned");
        var healthy = PipelinePolicy.Bash("poison-1", "ls", id: "healthy");
        var evaluator = new PolicyEvaluator(PipelinePolicy.Snapshot());

        var poisonedAnswer = session.Ask<object>(new SubmitCall(poisoned, CallIntent.DecideOnly), Patience);
        var healthyAnswer = session.Ask<object>(new SubmitCall(healthy, CallIntent.DecideOnly), Patience);
        for (var i = 0; i < 2; i++)
        {
            var request = policy.ExpectMsg<EvaluateCall>(Patience);
            // A verdict the session cannot read makes handling that call throw.
            policy.LastSender.Tell(request.Call.Id == poisoned.Id ? new CallEvaluated(request.Call.Id, null!) : new CallEvaluated(request.Call.Id, evaluator.Evaluate(request.Call)));
        }

        var refused = Assert.IsType<CallNotAccepted>(await poisonedAnswer);
        Assert.Contains("internal error", refused.Reason);
        var accepted = Assert.IsType<CallAccepted>(await healthyAnswer);
        Assert.Equal(CallOutcome.DecidedOnly, accepted.State.Outcome);

        // The session is alive and still serves: the healthy call is there, the poisoned one never existed.
        Assert.IsType<CallSnapshot>(await session.Ask<object>(new GetCall(new SessionId("poison-1"), healthy.Id), Patience));
        Assert.IsType<CallNotFound>(await session.Ask<object>(new GetCall(new SessionId("poison-1"), poisoned.Id), Patience));
    }

    [Fact]
    public async Task A_crashed_policy_actor_is_restarted_by_the_supervisor_and_the_pipeline_keeps_deciding()
    {
        var policy = await RegisteredAsync<PolicyActor>();
        Watch(policy);

        policy.Tell(Kill.Instance); // input no longer crashes a stage (PoisonGuard); a kill still does

        // Restarted, not stopped: the same actor answers after the kill (its mailbox outlives the restart), no Terminated came.
        Assert.IsType<StageStatus>(await policy.Ask<object>(GetStageStatus.Instance, Patience));
        ExpectNoMsg(TimeSpan.Zero);
        var accepted = await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("after-crash", "ls"), CallIntent.DecideOnly), Patience);
        Assert.Equal(CallOutcome.DecidedOnly, accepted.State.Outcome);
    }

    [Fact]
    public async Task A_policy_that_never_answers_fails_the_submission_with_a_clear_reason_and_records_nothing()
    {
        var silent = CreateTestProbe();
        var services = new SessionServices(silent.Ref, CreateTestProbe().Ref, Sys.ActorOf(CallIndex.Props(new CallIdTable(complete: true), FixedCallDirectory.Empty)),
            PipelineOptions.Default with { StageTimeout = TimeSpan.FromSeconds(1) });
        var session = Sys.ActorOf(AgentSessionActor.Props(new SessionId("silent-1"), services));

        var answer = await session.Ask<object>(new SubmitCall(PipelinePolicy.Bash("silent-1", "ls"), CallIntent.DecideOnly), Patience);

        var refused = Assert.IsType<CallNotAccepted>(answer);
        Assert.Contains("policy evaluation failed", refused.Reason);
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.PersistenceId == "session-silent-1");
    }
}
