using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>A session that went to sleep waiting for an operator is woken by the approval broker at the request's deadline.</summary>
public sealed class ApprovalDeadlineAsleepSpecs(ITestOutputHelper output) : PassivationSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with
    {
        PassivateAfter = TimeSpan.FromMilliseconds(200),
        ApprovalTimeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task An_approval_nobody_answers_times_out_at_its_deadline_though_its_session_is_asleep()
    {
        var call = PipelinePolicy.Bash("sleeper-1", "git push");
        var (accepted, asleep) = await AnsweredAsync<CallAccepted>(new SubmitCall(call, CallIntent.Execute));
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);

        await StoppedAsync(asleep);

        // Nothing asks the session anything: only the broker's deadline wake can record the time-out.
        await AwaitConditionAsync(() => Task.FromResult(Backend.ReadJournalRows().Any(r => r.Manifest == "approval-timed-out.v1")), Patience);
        var (done, _) = await AnsweredAsync<CallSnapshot>(new GetCall(call.Session, call.Id));
        Assert.Equal(CallOutcome.ApprovalTimedOut, done.State.Outcome);
    }
}
