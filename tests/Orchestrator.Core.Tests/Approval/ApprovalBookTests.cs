using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Approval;

public class ApprovalBookTests
{
    private static ApprovalRequested Request(string approval, string call = "call-1", string command = "git push origin main",
        string session = "session-1", int deadlineMinutes = 10) =>
        new(new CallId(call), new ApprovalId(approval), new AgentId("agent-1"), new SessionId(session), ToolNames.Bash,
            command, $"Bash: {command}", ReasonClass.RuleAsk, "ask rule", GrantScope.Once, "operators", 0, T0,
            T0.AddMinutes(deadlineMinutes));

    private static ApprovalAnswered Answered(ApprovalRequested request, bool approved, GrantScope scope = GrantScope.Once) =>
        new(request.CallId, request.ApprovalId, approved, scope, null, "alice", T0.AddMinutes(1));

    /// <summary>Answers through the book and records the answer and its grant, as the broker would.</summary>
    private static ApprovalBook Grant(ApprovalBook book, ApprovalRequested request, GrantScope scope)
    {
        var result = book.Answer(Approve(request.ApprovalId, scope), T0.AddMinutes(1));
        Assert.True(result.Accepted, result.Rejection?.Message);
        book = book.Apply(Answered(request, true, scope));
        return result.Grant is null ? book : book.Apply(result.Grant);
    }

    [Fact]
    public void A_request_is_pending_until_answered()
    {
        var request = Request("ap-1");
        var book = ApprovalBook.Empty.Apply(request);

        Assert.Same(request, book.FindPending(request.ApprovalId));
        Assert.Empty(book.Apply(Answered(request, true)).Pending);
    }

    [Fact]
    public void A_request_applied_again_after_its_answer_or_timeout_stays_closed()
    {
        var answered = Request("ap-answered", call: "call-1");
        var timedOut = Request("ap-timed-out", call: "call-2");
        var book = ApprovalBook.Rebuild([answered, Answered(answered, false), timedOut,
            new ApprovalTimedOut(timedOut.CallId, timedOut.ApprovalId, timedOut.Deadline, null, timedOut.Deadline)]);

        book = book.Apply(answered).Apply(timedOut);

        Assert.Empty(book.Pending);
        Assert.Null(book.FindPending(answered.ApprovalId));
    }

    [Fact]
    public void Pending_approvals_are_listed_earliest_deadline_first()
    {
        var book = ApprovalBook.Rebuild([Request("late", deadlineMinutes: 30), Request("soon", deadlineMinutes: 5), Request("mid", deadlineMinutes: 10)]);

        Assert.Equal(["soon", "mid", "late"], book.Pending.Select(r => r.ApprovalId.Value));
        Assert.Equal(T0.AddMinutes(5), book.NextDeadline);
    }

    [Fact]
    public void Due_timeouts_are_those_whose_deadline_has_come()
    {
        var book = ApprovalBook.Rebuild([Request("a", deadlineMinutes: 5), Request("b", deadlineMinutes: 10), Request("c", deadlineMinutes: 15)]);

        Assert.Equal(["a", "b"], book.DueTimeouts(T0.AddMinutes(10)).Select(r => r.ApprovalId.Value));
        Assert.Empty(book.DueTimeouts(T0.AddMinutes(4)));
    }

    [Fact]
    public void A_timed_out_request_is_no_longer_due()
    {
        var request = Request("a");
        var book = ApprovalBook.Rebuild([request, new ApprovalTimedOut(request.CallId, request.ApprovalId, request.Deadline, null, request.Deadline)]);

        Assert.Empty(book.DueTimeouts(T0.AddHours(1)));
        Assert.Null(book.NextDeadline);
    }

    [Fact]
    public void A_call_that_ends_otherwise_takes_its_pending_request_with_it()
    {
        var request = Request("a");
        var book = ApprovalBook.Rebuild([request, new CallInterrupted(request.CallId, "stopped", T0)]);

        Assert.Empty(book.Pending);
    }

    [Fact]
    public void Answering_a_pending_request_is_accepted_and_names_the_request()
    {
        var request = Request("ap-1");

        var result = ApprovalBook.Empty.Apply(request).Answer(Approve(request.ApprovalId), T0.AddMinutes(1));

        Assert.True(result.Accepted);
        Assert.Same(request, result.Request);
        Assert.Null(result.Grant);
    }

    [Fact]
    public void Answering_an_unknown_approval_is_rejected()
    {
        var result = ApprovalBook.Empty.Answer(Approve(new ApprovalId("nope")), T0);

        Assert.Equal(RejectionCode.UnknownApproval, result.Rejection!.Code);
    }

    [Fact]
    public void A_duplicate_answer_is_rejected_with_the_first_decision()
    {
        var request = Request("ap-1");
        var book = ApprovalBook.Rebuild([request, Answered(request, approved: false)]);

        var result = book.Answer(Approve(request.ApprovalId), T0.AddMinutes(2));

        Assert.False(result.Accepted);
        Assert.Equal(RejectionCode.DuplicateAnswer, result.Rejection!.Code);
        Assert.False(result.Rejection.FirstAnswer!.Approved);
    }

    [Fact]
    public void An_answer_to_a_timed_out_request_is_stale()
    {
        var request = Request("ap-1");
        var book = ApprovalBook.Rebuild([request, new ApprovalTimedOut(request.CallId, request.ApprovalId, request.Deadline, null, request.Deadline)]);

        var result = book.Answer(Approve(request.ApprovalId), T0.AddMinutes(11));

        Assert.Equal(RejectionCode.StaleAnswer, result.Rejection!.Code);
        Assert.Equal(request.Deadline, result.Rejection.TimedOut!.Deadline);
    }

    [Fact]
    public void An_answer_after_the_deadline_is_rejected_even_before_the_timeout_is_recorded()
    {
        var request = Request("ap-1");

        var result = ApprovalBook.Empty.Apply(request).Answer(Approve(request.ApprovalId), request.Deadline);

        Assert.Equal(RejectionCode.DeadlinePassed, result.Rejection!.Code);
    }

    [Fact]
    public void A_once_approval_leaves_no_grant_behind()
    {
        var book = Grant(ApprovalBook.Empty.Apply(Request("ap-1")), Request("ap-1"), GrantScope.Once);

        Assert.Empty(book.Grants);
        Assert.Null(book.Covers(Bash("git push origin main", id: "call-2"), Decision.Ask));
    }

    [Fact]
    public void A_session_grant_covers_the_same_command_later_in_the_same_session()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);

        var grant = book.Covers(Bash("git push origin main", id: "call-2"), Decision.Ask);

        Assert.NotNull(grant);
        Assert.Equal(GrantId.FromApproval(request.ApprovalId), grant.Id);
        Assert.Equal("Bash(git push origin main)", grant.RuleText);
    }

    [Fact]
    public void A_session_grant_does_not_cover_another_session()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);

        Assert.Null(book.Covers(Bash("git push origin main", id: "call-2", session: "session-2"), Decision.Ask));
    }

    [Fact]
    public void A_session_grant_does_not_cover_a_different_command_with_the_same_prefix()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);

        Assert.Null(book.Covers(Bash("git push --force origin main", id: "call-2"), Decision.Ask));
        Assert.Null(book.Covers(Bash("git push origin main && rm -rf .", id: "call-3"), Decision.Ask));
    }

    [Fact]
    public void A_grant_never_answers_a_deny()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Always);

        Assert.Null(book.Covers(Bash("git push origin main", id: "call-2"), Decision.Deny));
    }

    [Fact]
    public void An_always_grant_covers_every_session_and_yields_an_allow_rule_for_the_project_local_layer()
    {
        var request = Request("ap-1");
        var book = ApprovalBook.Empty.Apply(request);

        var result = book.Answer(Approve(request.ApprovalId, GrantScope.Always), T0.AddMinutes(1));
        book = book.Apply(Answered(request, true, GrantScope.Always)).Apply(result.Grant!);

        Assert.Equal("Bash(git push origin main)", result.AlwaysRuleText);
        Assert.NotNull(book.Covers(Bash("git push origin main", id: "call-9", session: "session-other"), Decision.Ask));
    }

    [Fact]
    public void A_denial_creates_no_grant_whatever_its_scope()
    {
        var request = Request("ap-1");

        var result = ApprovalBook.Empty.Apply(request)
            .Answer(new ApprovalAnswer(request.ApprovalId, false, GrantScope.Always, "no", "bob"), T0.AddMinutes(1));

        Assert.True(result.Accepted);
        Assert.Null(result.Grant);
        Assert.Null(result.AlwaysRuleText);
    }

    [Fact]
    public void Grants_are_listed_and_filtered_by_session()
    {
        var first = Request("ap-1");
        var second = Request("ap-2", call: "call-2", command: "npm publish", session: "session-2");
        var book = Grant(Grant(ApprovalBook.Rebuild([first, second]), first, GrantScope.Session), second, GrantScope.Always);

        Assert.Equal(2, book.Grants.Count);
        Assert.Equal(2, book.GrantsFor(new SessionId("session-1")).Count);
        Assert.Equal(["npm publish"], book.GrantsFor(new SessionId("session-2")).Select(g => g.Subject.Subject));
    }

    [Fact]
    public void A_revoked_grant_no_longer_covers()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);
        var grantId = GrantId.FromApproval(request.ApprovalId);

        var revocation = book.Revoke(grantId, "admin", "too broad", T0.AddMinutes(5));
        book = book.Apply(revocation.Event!);

        Assert.True(revocation.Accepted);
        Assert.Equal("Bash(git push origin main)", revocation.Event!.RuleText);
        Assert.Empty(book.Grants);
        Assert.Null(book.Covers(Bash("git push origin main", id: "call-2"), Decision.Ask));
    }

    [Fact]
    public void A_grant_once_held_is_known_live_or_revoked_and_an_unknown_one_is_not()
    {
        var request = Request("ap-held");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);
        var grantId = GrantId.FromApproval(request.ApprovalId);
        Assert.True(book.HasHeld(grantId));

        book = book.Apply(book.Revoke(grantId, "admin", null, T0).Event!);

        Assert.True(book.HasHeld(grantId));
        Assert.False(book.HasHeld(new GrantId("ghost")));
    }

    [Fact]
    public void Revoking_twice_or_revoking_an_unknown_grant_is_rejected()
    {
        var request = Request("ap-1");
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);
        var grantId = GrantId.FromApproval(request.ApprovalId);
        book = book.Apply(book.Revoke(grantId, "admin", null, T0).Event!);

        Assert.Contains("already revoked", book.Revoke(grantId, "admin", null, T0).Rejection);
        Assert.Contains("no grant", book.Revoke(new GrantId("ghost"), "admin", null, T0).Rejection);
    }

    [Fact]
    public void A_grant_shows_the_masked_command_but_covers_only_the_real_one()
    {
        var real = GrantSubject.From(Bash("API_TOKEN=secret-value ./deploy"));
        var request = Request("ap-1", command: real.Subject) with { SubjectDigest = real.Digest };
        var book = Grant(ApprovalBook.Empty.Apply(request), request, GrantScope.Session);

        Assert.Equal("Bash(API_TOKEN=*** ./deploy)", book.Grants[0].RuleText);
        Assert.NotNull(book.Covers(Bash("API_TOKEN=secret-value ./deploy", id: "call-2"), Decision.Ask));
        Assert.Null(book.Covers(Bash("API_TOKEN=other-value ./deploy", id: "call-3"), Decision.Ask));
    }

    [Fact]
    public void A_grant_recorded_before_digests_covers_only_a_command_that_is_literally_its_text()
    {
        var legacy = Request("ap-1", command: "API_TOKEN=*** ./deploy");
        var book = Grant(ApprovalBook.Empty.Apply(legacy), legacy, GrantScope.Session);

        Assert.Null(book.Covers(Bash("API_TOKEN=secret-value ./deploy", id: "call-2"), Decision.Ask));
        var plain = Request("ap-2", command: "make deploy");
        book = Grant(book.Apply(plain), plain, GrantScope.Session);
        Assert.NotNull(book.Covers(Bash("make deploy", id: "call-3"), Decision.Ask));
    }

    [Fact]
    public void Rebuilding_from_history_restores_pending_approvals_and_grants()
    {
        var pending = Request("ap-2", call: "call-2", command: "make deploy");
        var granted = Request("ap-1");
        var grant = ApprovalBook.GrantFor(granted, Approve(granted.ApprovalId, GrantScope.Session), T0.AddMinutes(1))!;
        HistoryEvent[] history = [granted, Answered(granted, true, GrantScope.Session), grant, pending];

        var book = ApprovalBook.Rebuild(history);

        Assert.Equal([pending.ApprovalId], book.Pending.Select(r => r.ApprovalId));
        Assert.Single(book.Grants);
        Assert.Equal(RejectionCode.DuplicateAnswer, book.Answer(Approve(granted.ApprovalId), T0.AddMinutes(2)).Rejection!.Code);
    }

    [Fact]
    public void An_escalated_request_replaces_the_first_in_the_pending_list()
    {
        var first = Request("ap-1");
        var second = first with { ApprovalId = new ApprovalId("ap-2"), ApproverGroup = "security", EscalationLevel = 1, Deadline = T0.AddMinutes(40) };
        var book = ApprovalBook.Rebuild([first, new ApprovalTimedOut(first.CallId, first.ApprovalId, first.Deadline, "security", first.Deadline), second]);

        Assert.Equal([second.ApprovalId], book.Pending.Select(r => r.ApprovalId));
        Assert.Equal(RejectionCode.StaleAnswer, book.Answer(Approve(first.ApprovalId), T0.AddMinutes(11)).Rejection!.Code);
        Assert.True(book.Answer(Approve(second.ApprovalId), T0.AddMinutes(11)).Accepted);
    }

    [Fact]
    public void The_book_and_the_call_agree_on_a_request_made_by_the_lifecycle()
    {
        var awaiting = Awaiting();
        var book = ApprovalBook.Empty.Apply(awaiting.PendingApproval!);

        var grant = book.Answer(Approve(FirstApproval, GrantScope.Session), T0.AddMinutes(1)).Grant!;

        Assert.Equal("git push origin main", grant.Subject);
        Assert.Equal(new SessionId("session-1"), grant.Session);
        Assert.Equal(FirstApproval, grant.FromApproval);
    }

    [Fact]
    public void A_book_forgets_its_oldest_closed_approvals_beyond_its_retention_and_keeps_what_is_open()
    {
        var book = ApprovalBook.WithRetention(3);
        var grantRequest = Request("ap-g", call: "call-g", command: "make deploy");
        book = book.Apply(grantRequest).Apply(Answered(grantRequest, true, GrantScope.Session)).Apply(ApprovalBook.GrantFor(grantRequest, Approve(grantRequest.ApprovalId, GrantScope.Session), T0.AddMinutes(1))!);
        var open = Request("ap-open", call: "call-open", command: "rm -rf build");
        book = book.Apply(open);
        for (var i = 1; i <= 5; i++)
        {
            var request = Request($"ap-{i}", call: $"call-{i}");
            book = book.Apply(request).Apply(Answered(request, approved: i % 2 == 0));
        }

        Assert.Equal(3, book.ClosedCount);
        foreach (var forgotten in new[] { "ap-g", "ap-1", "ap-2" })
            Assert.Equal(RejectionCode.UnknownApproval, book.Answer(Approve(new ApprovalId(forgotten)), T0.AddMinutes(2)).Rejection!.Code);
        foreach (var kept in new[] { "ap-3", "ap-4", "ap-5" })
            Assert.Equal(RejectionCode.DuplicateAnswer, book.Answer(Approve(new ApprovalId(kept)), T0.AddMinutes(2)).Rejection!.Code);
        Assert.Equal([open.ApprovalId], book.Pending.Select(r => r.ApprovalId));
        Assert.Single(book.Grants);
    }

    [Fact]
    public void A_request_replayed_right_after_its_close_does_not_reopen_it()
    {
        var request = Request("ap-1");
        var timedOut = new ApprovalTimedOut(request.CallId, request.ApprovalId, request.Deadline, null, request.Deadline);

        var book = ApprovalBook.Empty.Apply(request).Apply(timedOut).Apply(request).Apply(Answered(request, true));

        Assert.Empty(book.Pending);
        Assert.Equal(1, book.ClosedCount);
        Assert.Equal(RejectionCode.StaleAnswer, book.Answer(Approve(request.ApprovalId), T0.AddMinutes(2)).Rejection!.Code);
    }

    [Fact]
    public void The_memory_of_closed_approvals_stays_bounded_over_a_long_run()
    {
        var book = ApprovalBook.Empty;
        for (var i = 0; i < ApprovalBook.DefaultClosedRetention * 3; i++)
        {
            var request = Request($"ap-{i}", call: $"call-{i}");
            book = i % 3 == 0
                ? book.Apply(request).Apply(new ApprovalTimedOut(request.CallId, request.ApprovalId, request.Deadline, null, request.Deadline))
                : book.Apply(request).Apply(Answered(request, true));
        }

        Assert.Equal(ApprovalBook.DefaultClosedRetention, book.ClosedCount);
        Assert.Empty(book.Pending);
    }

    [Fact]
    public void A_book_that_remembers_no_closed_approval_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ApprovalBook.WithRetention(0));
    }
}
