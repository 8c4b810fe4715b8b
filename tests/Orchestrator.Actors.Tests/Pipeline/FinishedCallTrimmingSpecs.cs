using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Tests.Execution;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A session keeps one finished call in memory here: an older one is dropped from its hot state and every read of it —
/// get, watch, resubmission, a late approval answer — is answered from the journal as it was before.
/// </summary>
public sealed class FinishedCallTrimmingSpecs(ITestOutputHelper output) : PipelineExecutionSpec(output, "orchestrator-trimming-")
{
    protected override PipelineOptions Pipeline => PipelineOptions.Default with { SandboxFor = _ => new ScriptedSandbox(), FinishedCallsKept = 1 };

    [Fact]
    public async Task A_call_dropped_from_the_session_is_answered_from_the_journal_with_its_state_and_output()
    {
        var sessions = await SessionsAsync();
        var (first, read, watched) = await RunTwiceAndReadTheFirstAsync();
        var call = first.State.Call!;
        var resubmitted = await sessions.Ask<CallAlreadyExists>(new SubmitCall(call, CallIntent.Execute), Patience);

        Assert.Equal(1, (await sessions.Ask<SessionAwake>(new WakeSession(call.Session), Patience)).Calls);
        foreach (var state in new[] { read.State, watched.State, resubmitted.State })
            Assert.Equal(DirectoryRecoverySpecs.Json(first.State), DirectoryRecoverySpecs.Json(state));
        Assert.Equal(first.Output, read.Output);
        Assert.Equal("first", watched.Output!.Stdout);
        Assert.Equal(2, Backend.ReadJournalRows().Count(r => r.Manifest == "execution-started.v1")); // the resubmission ran nothing
        Assert.Equal(2, ReceivedEvents()); // nor was it received again: the history model's fold never sees an ended call's id start anew
    }

    /// <summary>The journal's call-received events (alone or with their decision): one per call ever received.</summary>
    private int ReceivedEvents() =>
        Backend.ReadJournalRows().Count(r => r.Manifest is "call-received.v1" or "call-received-and-decided.v1" or "call-received-and-decided.v2");

    [Fact]
    public async Task A_dropped_calls_id_stays_taken_for_another_session_and_is_still_located()
    {
        var sessions = await SessionsAsync();
        var (first, _, _) = await RunTwiceAndReadTheFirstAsync();
        var call = first.State.Call!;

        var taken = await sessions.Ask<CallIdTaken>(new SubmitCall(call with { Session = new SessionId("exec-2") }, CallIntent.Execute), Patience);
        var located = await (await RegisteredAsync<CallIndex>()).Ask<CallLocated>(new LocateCall(call.Id), Patience);

        Assert.Equal(call.Session, taken.Holder);
        Assert.Equal(call.Session, located.Session);
        Assert.Equal(2, ReceivedEvents());
    }

    [Fact]
    public async Task A_second_answer_to_an_approval_of_a_dropped_call_is_rejected_as_a_duplicate_showing_the_first()
    {
        var sessions = await SessionsAsync();
        var broker = await RegisteredAsync<ApprovalBroker>();
        var accepted = await sessions.Ask<CallAccepted>(new SubmitCall(Bash("printf asked"), CallIntent.Execute), Patience);
        var request = accepted.State.PendingApproval!;
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(new ApprovalAnswer(request.ApprovalId, false, GrantScope.Once, null, "alice")), Patience);

        await RunAsync("echo later");
        var second = await broker.Ask<ApprovalAnswerRejected>(
            new SubmitApprovalAnswer(new ApprovalAnswer(request.ApprovalId, true, GrantScope.Once, null, "bob")), Patience);

        Assert.Equal(1, (await sessions.Ask<SessionAwake>(new WakeSession(accepted.State.Call!.Session), Patience)).Calls);
        Assert.Equal(RejectionCode.DuplicateAnswer, second.Rejection.Code);
        Assert.Equal("alice", second.Rejection.FirstAnswer!.AnsweredBy);
    }
}
