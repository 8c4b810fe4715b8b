using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Idle sessions leave memory and come back from the journal; sessions with work in flight stay.</summary>
public sealed class PassivationSpecs(ITestOutputHelper output) : PassivationSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { PassivateAfter = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task An_idle_session_stops_and_answers_again_from_the_journal()
    {
        var call = PipelinePolicy.Bash("idle-1", "ls");
        var (_, first) = await AnsweredAsync<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly));

        await StoppedAsync(first);

        var (snapshot, again) = await AnsweredAsync<CallSnapshot>(new GetCall(call.Session, call.Id));
        Assert.Equal(CallOutcome.DecidedOnly, snapshot.State.Outcome);
        Assert.NotEqual(first, again); // a new incarnation, woken for the question, answered it from the journal
    }

    [Fact]
    public async Task A_session_waiting_only_for_an_operator_leaves_memory_and_the_answer_wakes_it_to_record_the_decision()
    {
        var call = PipelinePolicy.Bash("waiting-1", "git push");
        var (accepted, asleep) = await AnsweredAsync<CallAccepted>(new SubmitCall(call, CallIntent.Execute));
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);

        await StoppedAsync(asleep);
        var broker = await RegisteredAsync<ApprovalBroker>();
        var listed = await broker.Ask<ApprovalPage>(new ListApprovals(), Patience);
        Assert.Contains(listed.Approvals, r => r.CallId == call.Id);
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(
            new ApprovalAnswer(accepted.State.PendingApproval!.ApprovalId, false, GrantScope.Once, null, "alice")), Patience);

        var (done, woken) = await AnsweredAsync<CallSnapshot>(new WatchCall(call.Session, call.Id));
        Assert.Equal(CallOutcome.ApprovalDenied, done.State.Outcome);
        Assert.NotEqual(asleep, woken);
    }

    [Fact]
    public async Task A_session_waiting_for_an_operator_on_a_call_whose_secrets_were_masked_stays_awake_holding_its_real_input()
    {
        var (accepted, busy) = await AnsweredAsync<CallAccepted>(new SubmitCall(
            PipelinePolicy.Bash("busy-1", "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123 git push"), CallIntent.Execute));
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        // A session that went idle after busy-1 did is passivated: had busy-1 been passivatable, it would be gone too.
        await StoppedAsync(await DecidedAsync("idle-2"));

        var identity = await Sys.ActorSelection(busy.Path).Ask<ActorIdentity>(new Identify("busy-1"), Patience);
        Assert.Equal(busy, identity.Subject);
    }
}
