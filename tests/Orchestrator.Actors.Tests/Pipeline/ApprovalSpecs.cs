using Akka.Actor;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Pipeline;

/// <summary>Operator approvals through the broker and the sessions, on a real SQLite journal, across restarts.</summary>
public sealed class ApprovalSpecs(ITestOutputHelper output) : SqliteSpec(output)
{
    private Task<PipelineTestHost> StartAsync(TimeSpan? approvalTimeout = null, EscalationPolicy? escalation = null, TimeProvider? clock = null,
        PolicySnapshot? policy = null) =>
        PipelineTestHost.StartAsync(Backend.Options, policy ?? PipelinePolicy.Snapshot(), PipelineOptions.Default with
        {
            ApprovalTimeout = approvalTimeout ?? TimeSpan.FromMinutes(10),
            Escalation = escalation,
            Clock = clock ?? TimeProvider.System,
        });

    /// <summary>The system clock moved forward, as if the host had been down that long.</summary>
    private sealed class LaterClock(TimeSpan later) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + later;
    }

    private static async Task<ApprovalRequested> SubmitAskAsync(PipelineTestHost host, ToolCall call)
    {
        var accepted = await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.Execute), Patience);
        Assert.Equal(CallStatus.AwaitingApproval, accepted.State.Status);
        return accepted.State.PendingApproval!;
    }

    private static ApprovalAnswer Answer(ApprovalRequested request, bool approved, GrantScope scope = GrantScope.Once, string by = "alice") =>
        new(request.ApprovalId, approved, scope, "checked", by);

    [Fact]
    public async Task An_ask_without_automatic_approver_waits_and_is_listed_by_the_broker()
    {
        await using var host = await StartAsync();
        var call = PipelinePolicy.Bash("ops-1", "git push");

        var request = await SubmitAskAsync(host, call);

        await AwaitAssertAsync(async () =>
        {
            var pending = await host.Approvals.Ask<PendingApprovals>(new ListApprovals(), Patience);
            var listed = Assert.Single(pending.Approvals);
            Assert.Equal(request.ApprovalId, listed.ApprovalId);
            Assert.Equal(call.Id, listed.CallId);
            Assert.Equal("Bash: git push", listed.CallSummary);
        }, Patience);
    }

    [Fact]
    public async Task A_denial_completes_the_call_as_approval_denied_and_clears_the_pending_list()
    {
        await using var host = await StartAsync();
        var request = await SubmitAskAsync(host, PipelinePolicy.Bash("ops-2", "git push"));

        var accepted = await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);

        Assert.Equal(CallOutcome.ApprovalDenied, accepted.State.Outcome);
        Assert.Equal("alice", accepted.State.Answer!.AnsweredBy);
        await AwaitAssertAsync(async () =>
            Assert.Empty((await host.Approvals.Ask<PendingApprovals>(new ListApprovals(), Patience)).Approvals), Patience);
    }

    [Fact]
    public async Task A_second_answer_is_rejected_as_duplicate_showing_the_first()
    {
        await using var host = await StartAsync();
        var request = await SubmitAskAsync(host, PipelinePolicy.Bash("ops-3", "git push"));
        await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);

        var second = await host.Approvals.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(request, approved: true, by: "bob")), Patience);

        Assert.Equal(RejectionCode.DuplicateAnswer, second.Rejection.Code);
        Assert.Equal("alice", second.Rejection.FirstAnswer!.AnsweredBy);
        Assert.False(second.Rejection.FirstAnswer.Approved);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "approval-answered.v1");
    }

    [Fact]
    public async Task An_answer_to_an_approval_never_issued_is_not_found()
    {
        await using var host = await StartAsync();

        var answer = await host.Approvals.Ask<ApprovalNotFound>(
            new SubmitApprovalAnswer(new ApprovalAnswer(new ApprovalId("nope"), true, GrantScope.Once, null, "alice")), Patience);

        Assert.Equal(new ApprovalId("nope"), answer.ApprovalId);
    }

    [Fact]
    public async Task An_unanswered_approval_times_out_and_denies_the_call()
    {
        await using var host = await StartAsync(approvalTimeout: TimeSpan.FromMilliseconds(500));
        var call = PipelinePolicy.Bash("ops-4", "git push");
        await SubmitAskAsync(host, call);

        var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);

        Assert.Equal(CallOutcome.ApprovalTimedOut, done.State.Outcome);
        Assert.Contains(Backend.ReadJournalRows(), r => r.Manifest == "approval-timed-out.v1");
    }

    [Fact]
    public async Task A_timeout_escalates_to_the_second_group_with_a_fresh_approval_id()
    {
        await using var host = await StartAsync(approvalTimeout: TimeSpan.FromMilliseconds(300),
            escalation: new EscalationPolicy("leads", TimeSpan.FromMinutes(5)));
        var call = PipelinePolicy.Bash("ops-5", "git push");
        var first = await SubmitAskAsync(host, call);

        await AwaitAssertAsync(async () =>
        {
            var pending = Assert.Single((await host.Approvals.Ask<PendingApprovals>(new ListApprovals(), Patience)).Approvals);
            Assert.Equal("leads", pending.ApproverGroup);
            Assert.Equal(1, pending.EscalationLevel);
            Assert.NotEqual(first.ApprovalId, pending.ApprovalId);
        }, Patience);
        var stale = await host.Approvals.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(first, approved: true)), Patience);
        Assert.Equal(RejectionCode.StaleAnswer, stale.Rejection.Code);
    }

    [Fact]
    public async Task A_pending_approval_survives_a_restart_with_the_same_id_and_deadline_and_is_answerable()
    {
        var call = PipelinePolicy.Bash("ops-6", "git push");
        ApprovalRequested request;
        await using (var host = await StartAsync())
            request = await SubmitAskAsync(host, call);

        await using (var host = await StartAsync())
        {
            Assert.True((await host.RecoveredAsync()).Done);
            var pending = Assert.Single((await host.Approvals.Ask<PendingApprovals>(new ListApprovals(), Patience)).Approvals);
            Assert.Equal(request.ApprovalId, pending.ApprovalId);
            Assert.Equal(request.Deadline, pending.Deadline);

            var answered = await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: false)), Patience);
            Assert.Equal(CallOutcome.ApprovalDenied, answered.State.Outcome);
        }
    }

    [Fact]
    public async Task A_call_approved_after_a_restart_is_judged_again_and_a_policy_that_now_denies_it_stops_it()
    {
        var call = PipelinePolicy.Bash("ops-13", "git push");
        ApprovalRequested request;
        await using (var host = await StartAsync())
            request = await SubmitAskAsync(host, call);

        await using (var host = await StartAsync(policy: PipelinePolicy.Snapshot("Bash(git push)")))
        {
            Assert.True((await host.RecoveredAsync()).Done);
            await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: true)), Patience);
            var done = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
            Assert.Equal(CallOutcome.Failed, done.State.Outcome);
            Assert.Contains("the current policy denies this call", done.State.Completion!.Detail);
            Assert.Null(done.State.Execution);
        }
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_server_was_down_times_out_on_recovery()
    {
        var call = PipelinePolicy.Bash("ops-7", "git push");
        await using (var host = await StartAsync(approvalTimeout: TimeSpan.FromSeconds(1)))
        {
            await SubmitAskAsync(host, call);
            await host.System.Terminate(); // the timer dies with the system, before the deadline
        }
        await using (var host = await StartAsync(clock: new LaterClock(TimeSpan.FromHours(1))))
        {
            await host.RecoveredAsync();
            var snapshot = await host.Sessions.Ask<CallSnapshot>(new WatchCall(call.Session, call.Id), Patience);
            Assert.Equal(CallOutcome.ApprovalTimedOut, snapshot.State.Outcome);
        }
    }

    [Fact]
    public async Task A_session_grant_covers_the_same_command_later_in_that_session_only()
    {
        await using var host = await StartAsync();
        var request = await SubmitAskAsync(host, PipelinePolicy.Bash("ops-8", "git push"));
        await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(request, approved: true, GrantScope.Session)), Patience);
        await AwaitAssertAsync(async () =>
            Assert.Single((await host.Approvals.Ask<CurrentGrants>(new ListGrants(), Patience)).Grants), Patience);

        var again = await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("ops-8", "git push"), CallIntent.Execute), Patience);
        var elsewhere = await host.Sessions.Ask<CallAccepted>(new SubmitCall(PipelinePolicy.Bash("ops-9", "git push"), CallIntent.Execute), Patience);

        Assert.Equal(GrantId.FromApproval(request.ApprovalId), again.State.Decided!.CoveredByGrant);
        Assert.Null(again.State.PendingApproval);
        Assert.Equal(CallStatus.AwaitingApproval, elsewhere.State.Status);
        Assert.Single(Backend.ReadJournalRows(), r => r.Manifest == "grant-added.v1" && r.PersistenceId == ApprovalBroker.Name);
    }

    [Fact]
    public async Task A_restarted_broker_rebuilds_its_index_from_the_journal_and_still_routes_answers()
    {
        await using var host = await StartAsync();
        var open = await SubmitAskAsync(host, PipelinePolicy.Bash("ops-11", "git push"));
        var closed = await SubmitAskAsync(host, PipelinePolicy.Bash("ops-12", "git push"));
        await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(closed, approved: false)), Patience);

        host.Approvals.Tell(Kill.Instance); // the supervisor restarts it with an empty memory

        await AwaitAssertAsync(async () =>
        {
            var pending = Assert.Single((await host.Approvals.Ask<PendingApprovals>(new ListApprovals(), Patience)).Approvals);
            Assert.Equal(open.ApprovalId, pending.ApprovalId);
        }, Patience);
        var duplicate = await host.Approvals.Ask<ApprovalAnswerRejected>(new SubmitApprovalAnswer(Answer(closed, approved: true)), Patience);
        Assert.Equal(RejectionCode.DuplicateAnswer, duplicate.Rejection.Code);
        await host.Approvals.Ask<ApprovalAnswerAccepted>(new SubmitApprovalAnswer(Answer(open, approved: false)), Patience);
    }

    [Fact]
    public async Task Calls_are_found_by_id_alone_after_a_restart()
    {
        var call = PipelinePolicy.Bash("ops-10", "ls");
        await using (var host = await StartAsync())
            await host.Sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);

        await using (var host = await StartAsync())
        {
            await host.RecoveredAsync();
            var located = await host.Calls.Ask<CallLocated>(new LocateCall(call.Id), Patience);
            Assert.Equal(call.Session, located.Session);
        }
    }
}
