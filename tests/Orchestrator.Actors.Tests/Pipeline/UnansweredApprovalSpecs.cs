using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>An approval nobody answers within the approval timeout denies its call (no escalation configured).</summary>
public sealed class UnansweredApprovalSpecs(ITestOutputHelper output) : ApprovalSpec(output)
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { ApprovalTimeout = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task An_unanswered_approval_times_out_and_denies_the_call()
    {
        var call = PipelinePolicy.Bash("ops-4", "git push");
        await SubmitAskAsync(call);

        var done = await (await SessionsAsync()).Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(CallOutcome.ApprovalTimedOut, done.State.Outcome);
        Assert.Contains(Backend.ReadJournalRows(), r => r.Manifest == "approval-timed-out.v1");
    }
}
