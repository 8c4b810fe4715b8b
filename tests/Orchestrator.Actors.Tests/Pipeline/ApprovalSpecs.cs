using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Operator approvals through the broker and the sessions, on a real SQLite journal, across restarts.</summary>
public sealed class ApprovalSpecs(ITestOutputHelper output) : ApprovalSpec(output)
{
    /// <summary>The system clock moved forward, as if the host had been down that long.</summary>
    private sealed class LaterClock(TimeSpan later) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + later;
    }

    [Fact]
    public async Task An_ask_without_automatic_approver_waits_and_is_listed_by_the_broker()
    {
        var call = PipelinePolicy.Bash("ops-1", "git push");

        var request = await SubmitAskAsync(call);

        var broker = await BrokerAsync();
        await AwaitAssertAsync(async () =>
        {
            var pending = await broker.Ask<ApprovalPage>(new ListApprovals(), Patience);
            var listed = Assert.Single(pending.Approvals);
            Assert.Equal(request.ApprovalId, listed.ApprovalId);
            Assert.Equal(call.Id, listed.CallId);
            Assert.Equal("Bash: git push", listed.CallSummary);
        }, Patience);
    }

    [Fact]
    public async Task A_denial_completes_the_call_as_approval_denied_and_clears_the_pending_list()
    {
        var request = await SubmitAskAsync(PipelinePolicy.Bash("ops-2", "git push"));
        var broker = await BrokerAsync();

        var accepted = await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);

        Assert.Equal(CallOutcome.ApprovalDenied, accepted.State.Outcome);
        Assert.Equal("alice", accepted.State.Answer!.AnsweredBy);
        await AwaitAssertAsync(async () =>
            Assert.Empty((await broker.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals), Patience);
    }

    [Fact]
    public async Task A_second_answer_is_rejected_as_duplicate_showing_the_first()
    {
        var request = await SubmitAskAsync(PipelinePolicy.Bash("ops-3", "git push"));
        var broker = await BrokerAsync();
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);

        var second = await broker.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(request, approved: true, by: "bob")), Patience);

        Assert.Equal(RejectionCode.DuplicateAnswer, second.Rejection.Code);
        Assert.Equal("alice", second.Rejection.FirstAnswer!.AnsweredBy);
        Assert.False(second.Rejection.FirstAnswer.Approved);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "approval-answered.v1");
    }

    [Fact]
    public async Task An_answer_to_an_approval_never_issued_is_not_found()
    {
        var answer = await (await BrokerAsync()).Ask<ApprovalNotFound>(
            new SubmitApprovalAnswer(new ApprovalAnswer(new ApprovalId("nope"), true, GrantScope.Once, null, "alice")), Patience);

        Assert.Equal(new ApprovalId("nope"), answer.ApprovalId);
    }

    [Fact]
    public async Task A_pending_approval_survives_a_restart_with_the_same_id_and_deadline_and_is_answerable()
    {
        var request = await SubmitAskAsync(PipelinePolicy.Bash("ops-6", "git push"));

        // Surviving a restart is what is proved: a second host for the restarted phase.
        await using var restarted = await RestartAsync();
        Assert.True((await restarted.RecoveredAsync()).Done);
        var pending = Assert.Single((await restarted.Approvals.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals);
        Assert.Equal(request.ApprovalId, pending.ApprovalId);
        Assert.Equal(request.Deadline, pending.Deadline);

        var answered = await restarted.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);
        Assert.Equal(CallOutcome.ApprovalDenied, answered.State.Outcome);
    }

    [Fact]
    public async Task A_call_approved_after_a_restart_is_judged_again_and_a_policy_that_now_denies_it_stops_it()
    {
        var call = PipelinePolicy.Bash("ops-13", "git push");
        var request = await SubmitAskAsync(call);

        // The policy changed across a restart: a second host, with the new policy, for the restarted phase.
        await using var restarted = await RestartAsync(policies: PolicyCatalog.Of(PipelinePolicy.Snapshot("Bash(git push)")));
        Assert.True((await restarted.RecoveredAsync()).Done);
        await restarted.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: true)), Patience);
        var done = await restarted.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
        Assert.Equal(CallOutcome.Failed, done.State.Outcome);
        Assert.Contains("the current policy denies this call", done.State.Completion!.Detail);
        Assert.Null(done.State.Execution);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_server_was_down_times_out_on_recovery()
    {
        var call = PipelinePolicy.Bash("ops-7", "git push");
        var request = await SubmitAskAsync(call);
        Assert.True(request.Deadline - DateTimeOffset.UtcNow > TimeSpan.FromMinutes(5)); // it cannot pass before the restart

        // The host was down past the deadline: a second host, an hour later by its clock, for the restarted phase.
        await using var restarted = await RestartAsync(pipeline: Pipeline with { Clock = new LaterClock(TimeSpan.FromHours(1)) });
        await restarted.RecoveredAsync();
        // Nobody touches the session: the broker wakes it for the deadline, and it times the request out as it recovers.
        await AwaitAssertAsync(async () =>
            Assert.Empty((await restarted.Approvals.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals), Patience);
        var snapshot = await restarted.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
        Assert.Equal(CallOutcome.ApprovalTimedOut, snapshot.State.Outcome);
    }

    [Fact]
    public async Task A_session_grant_covers_the_same_command_later_in_that_session_only()
    {
        var sessions = await SessionsAsync();
        var broker = await BrokerAsync();
        var request = await SubmitAskAsync(PipelinePolicy.Bash("ops-8", "git push"));
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: true, GrantScope.Session)), Patience);
        await AwaitAssertAsync(async () =>
            Assert.Single((await broker.Ask<CurrentGrants>(new ListGrants(), Patience)).Grants), Patience);

        var again = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("ops-8", "git push"), CallIntent.Execute), Patience);
        var elsewhere = await sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("ops-9", "git push"), CallIntent.Execute), Patience);

        Assert.Equal(GrantId.FromApproval(request.ApprovalId), again.State.Decided!.CoveredByGrant);
        Assert.Null(again.State.PendingApproval);
        Assert.Equal(CallStatus.AwaitingApproval, elsewhere.State.Status);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "grant-added.v1" && r.PersistenceId == ApprovalBroker.Name);
    }

    [Fact]
    public async Task A_restarted_broker_rebuilds_its_index_from_the_journal_and_still_routes_answers()
    {
        var broker = await BrokerAsync();
        var open = await SubmitAskAsync(PipelinePolicy.Bash("ops-11", "git push"));
        var closed = await SubmitAskAsync(PipelinePolicy.Bash("ops-12", "git push"));
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(closed, approved: false)), Patience);

        broker.Tell(Kill.Instance); // the supervisor restarts it with an empty memory

        await AwaitAssertAsync(async () =>
        {
            var pending = Assert.Single((await broker.Ask<ApprovalPage>(new ListApprovals(), Patience)).Approvals);
            Assert.Equal(open.ApprovalId, pending.ApprovalId);
        }, Patience);
        var duplicate = await broker.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(closed, approved: true)), Patience);
        Assert.Equal(RejectionCode.DuplicateAnswer, duplicate.Rejection.Code);
        await broker.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(open, approved: false)), Patience);
    }

    [Fact]
    public async Task A_second_answer_after_a_restart_reaches_the_call_through_the_index_and_is_rejected_showing_the_first()
    {
        var request = await SubmitAskAsync(PipelinePolicy.Bash("ops-14", "git push"));
        await (await BrokerAsync()).Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);

        // A broker that never held the approval is what is proved: a second host for the restarted phase.
        await using var restarted = await RestartAsync();
        var duplicate = await restarted.Approvals.Ask<ApprovalAnswerRejected>(
            new SubmitApprovalAnswer(Answer(request, approved: true, by: "bob")), Patience);

        Assert.Equal(RejectionCode.DuplicateAnswer, duplicate.Rejection.Code);
        Assert.Contains("denied by alice", duplicate.Rejection.Message);
    }

    [Fact]
    public async Task An_approving_session_answer_whose_grant_was_never_written_gets_its_grant_at_the_next_start()
    {
        // The server died between the session's answer and the broker's grant: the session's journal holds the request
        // and the answer, the broker's holds no grant.
        var call = PipelinePolicy.Bash("ops-15", "git push");
        var requested = await SubmitAskAsync(call);
        await using (var first = await RestartAsync())
        {
            // The answer is recorded by the session; the broker is stopped first so it cannot write the grant.
            Assert.True(await first.Approvals.GracefulStop(Patience));
            var state = (await first.Sessions.Ask<CallSnapshot>(new GetCall(call.Session, call.Id), Patience)).State;
            Assert.Equal(CallStatus.AwaitingApproval, state.Status);
            var answered = await first.Sessions.Ask<ApprovalAnswerAccepted>(
                new AnswerApproval(call.Session, call.Id, Answer(requested, approved: true, GrantScope.Session)), Patience);
            Assert.NotEqual(CallStatus.AwaitingApproval, answered.State.Status);
        }
        Assert.DoesNotContain(Backend.ReadJournalRows(), r => r.Manifest == "grant-added.v1");

        await using var restarted = await PipelineTestHost.StartAsync(Backend.Options, Policies, Pipeline);
        await AwaitAssertAsync(async () =>
        {
            var grant = Assert.Single((await restarted.Approvals.Ask<CurrentGrants>(new ListGrants(), Patience)).Grants);
            Assert.Equal(GrantId.FromApproval(requested.ApprovalId), grant.Id);
        }, Patience);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "grant-added.v1" && r.PersistenceId == ApprovalBroker.Name);
    }

    [Fact]
    public async Task Calls_are_found_by_id_alone_after_a_restart()
    {
        var call = PipelinePolicy.Bash("ops-10", "ls");
        await (await SessionsAsync()).Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        // The call index rebuilt by a new host is what is proved: a second host for the restarted phase.
        await using var restarted = await RestartAsync();
        await restarted.RecoveredAsync();
        var located = await restarted.Calls.Ask<CallLocated>(new LocateCall(call.Id), Patience);
        Assert.Equal(call.Session, located.Session);
    }
}
