using System.Text.Json;
using Akka.Actor;
using Orchestrator.Core.Approval;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>
/// A restart with the call directory, on a real SQLite journal: only the sessions with unfinished calls that do not
/// merely wait for an operator wake at start; the calls of the others are found, kept unique and read from the journal
/// without waking every session, and an operator's answer wakes the session it is for.
/// </summary>
public sealed class DirectoryRecoverySpecs(ITestOutputHelper output) : ApprovalSpec(output)
{
    [Fact]
    public async Task A_session_waiting_only_for_an_operator_sleeps_through_a_restart_until_the_answer_wakes_it_and_finished_calls_are_read_without_waking()
    {
        var sessions = await SessionsAsync();
        var finished = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("finished-only", "ls"), CallIntent.DecideOnly), Patience);
        Assert.True(finished.State.IsTerminal);
        var request = await SubmitAskAsync(PipelinePolicy.Bash("with-approval", "git push"));

        await using var restarted = await RestartAsync();

        Assert.Equal(new RecoveryStatus(true, 0, 0, null), await restarted.RecoveredAsync());
        Assert.Equal(request.ApprovalId, Assert.Single((await restarted.Approvals.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals).ApprovalId);
        Assert.False(await IsAwakeAsync(restarted, "finished-only"));
        Assert.False(await IsAwakeAsync(restarted, "with-approval"));
        var located = await restarted.Calls.Ask<CallLocated>(new LocateCall(finished.CallId), Patience);
        Assert.Equal(new SessionId("finished-only"), located.Session);
        Assert.False(await IsAwakeAsync(restarted, "finished-only"));
        var read = await restarted.Sessions.Ask<CallSnapshot>(new GetCall(located.Session, finished.CallId), Patience);
        Assert.Equal(Json(finished.State), Json(read.State));
        var answered = await restarted.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);
        Assert.Equal(CallOutcome.ApprovalDenied, answered.State.Outcome);
        Assert.True(await IsAwakeAsync(restarted, "with-approval"));
        Assert.Empty((await restarted.Approvals.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals);
    }

    [Fact]
    public async Task An_id_recorded_before_a_restart_is_not_claimed_by_another_session_and_its_own_answers_it_as_a_resubmission()
    {
        var sessions = await SessionsAsync();
        var call = PipelinePolicy.Bash("first-owner", "ls");
        var recorded = await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        // The owner keeps no finished call in memory: its resubmission is answered from the journal.
        await using var restarted = await RestartAsync(pipeline: Pipeline with { FinishedCallsKept = 0 });
        await restarted.RecoveredAsync();

        var elsewhere = await restarted.Sessions.Ask<object>(new SubmitCall(call with { Session = new SessionId("second-owner") }, CallIntent.DecideOnly), Patience);
        var again = await restarted.Sessions.Ask<object>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        Assert.Equal(new CallIdTaken(call.Id, new SessionId("first-owner")), elsewhere);
        Assert.Equal(Json(recorded.State), Json(Assert.IsType<CallAlreadyExists>(again).State));
        var awake = await restarted.Sessions.Ask<SessionAwake>(new WakeSession(call.Session), Patience);
        Assert.Equal(0, awake.Calls);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest.StartsWith("call-received", StringComparison.Ordinal));
    }

    private static async Task<bool> IsAwakeAsync(PipelineTestHost host, string session) =>
        (await host.System.ActorSelection($"/user/orchestrator/sessions/{session}").Ask<ActorIdentity>(new Identify(session), Patience)).Subject is not null;

    /// <summary>What a client sees of a call (records holding collections compare by reference, their JSON by value).</summary>
    internal static string Json(CallState state) => JsonSerializer.Serialize(state);
}
