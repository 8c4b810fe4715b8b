using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Evaluation;

namespace Orchestrator.Core.Tests.Lifecycle;

public sealed class CallEventCompactionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private static (ToolCall Call, VerdictSummary Verdict) Judged(string command, string[]? ask = null)
    {
        var project = Directory.CreateTempSubdirectory("orchestrator-compaction-").FullName;
        var snapshot = PolicyLoader.Load(new PolicyLoadOptions(project)
        {
            HomeDirectory = project, ManagedSettingsPath = null, UserSettingsPath = null, AskRules = ask ?? [],
        });
        var call = new ToolCall(new CallId("c1"), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            project, new AgentId("a"), new SessionId("s"));
        return (call, VerdictSummary.From(new PolicyEvaluator(snapshot).Evaluate(call)));
    }

    [Fact]
    public void A_decided_only_call_becomes_one_event_that_replays_to_the_same_state()
    {
        var (call, verdict) = Judged("ls");
        var result = CallLifecycle.Receive(CallState.New(call.Id), call, CallIntent.DecideOnly, DecisionInput.Of(verdict), Now);

        var compacted = CallLifecycle.Compact(result.Events);

        var single = Assert.IsType<CallReceivedAndDecided>(Assert.Single(compacted));
        Assert.NotNull(single.Completed);
        Assert.Equal(CallLifecycle.Replay(call.Id, result.Events), CallLifecycle.Replay(call.Id, compacted));
        Assert.Equal(CallStatus.Completed, CallLifecycle.Replay(call.Id, compacted).Status);
    }

    [Fact]
    public void An_automatically_approved_ask_carries_its_request_and_answer_inside()
    {
        var (call, verdict) = Judged("git push", ask: ["Bash(git push)"]);
        var spec = new ApprovalRequestSpec(new ApprovalId("ap1"), TimeSpan.FromMinutes(10));
        var received = CallLifecycle.Receive(CallState.New(call.Id), call, CallIntent.DecideOnly, DecisionInput.Of(verdict, spec), Now);
        var answered = CallLifecycle.AnswerApproval(received.State, AutomaticApprover.AutoApprove.Answer(received.State.PendingApproval!), Now);
        var events = received.Events.AddRange(answered.Events);

        var single = Assert.IsType<CallReceivedAndDecided>(Assert.Single(CallLifecycle.Compact(events)));

        Assert.Equal(new ApprovalId("ap1"), single.Requested!.ApprovalId);
        Assert.True(single.Answered!.Approved);
        Assert.Equal(CallOutcome.DecidedOnly, CallLifecycle.Replay(call.Id, [single]).Outcome);
    }

    [Fact]
    public void A_batch_that_does_not_end_the_call_is_left_as_it_is()
    {
        var (call, verdict) = Judged("git push", ask: ["Bash(git push)"]);
        var spec = new ApprovalRequestSpec(new ApprovalId("ap1"), TimeSpan.FromMinutes(10));
        var waiting = CallLifecycle.Receive(CallState.New(call.Id), call, CallIntent.Execute, DecisionInput.Of(verdict, spec), Now).Events;
        var (allowed, allowVerdict) = Judged("ls");
        var toRun = CallLifecycle.Receive(CallState.New(allowed.Id), allowed, CallIntent.Execute, DecisionInput.Of(allowVerdict), Now).Events;

        Assert.Equal(waiting, CallLifecycle.Compact(waiting));
        Assert.Equal(toRun, CallLifecycle.Compact(toRun));
    }
}
