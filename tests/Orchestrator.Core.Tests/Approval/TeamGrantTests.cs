using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Approval;

/// <summary>Agent teams in the approval book: a parent's session grants and team grants cover the declared sub-sessions.</summary>
public class TeamGrantTests
{
    private const string Command = "git push origin main";

    private static ApprovalRequested Request(string approval, string session, string? parent = null) =>
        new(new CallId("call-" + approval), new ApprovalId(approval), new AgentId("agent-1"), new SessionId(session), ToolNames.Bash,
            Command, $"Bash: {Command}", ReasonClass.RuleAsk, "ask rule", GrantScope.Once, "operators", 0, T0, T0.AddMinutes(10),
            ParentSession: parent is null ? null : new SessionId(parent));

    private static ApprovalBook Granted(ApprovalRequested request, GrantScope scope)
    {
        var book = ApprovalBook.Empty.Apply(request);
        var result = book.Answer(new ApprovalAnswer(request.ApprovalId, true, scope, null, "op"), T0.AddMinutes(1));
        Assert.True(result.Accepted, result.Rejection?.Message);
        return book.Apply(result.Grant!);
    }

    private static ToolCall CallIn(string session, string? parent, string command = Command) =>
        Bash(command, id: "later-" + session, session: session) with { ParentSession = parent is null ? null : new SessionId(parent) };

    [Fact]
    public void A_session_grant_of_the_parent_covers_its_sub_sessions_but_not_a_stranger()
    {
        var book = Granted(Request("ap-1", "lead"), GrantScope.Session);

        Assert.NotNull(book.Covers(CallIn("lead", null), Decision.Ask));
        Assert.NotNull(book.Covers(CallIn("sub-1", "lead"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("stranger", null), Decision.Ask));
        Assert.Null(book.Covers(CallIn("sub-of-other", "other-lead"), Decision.Ask));
    }

    [Fact]
    public void A_session_grant_a_sub_agent_was_given_covers_only_its_own_session()
    {
        var book = Granted(Request("ap-1", "sub-1", parent: "lead"), GrantScope.Session);

        Assert.NotNull(book.Covers(CallIn("sub-1", "lead"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("lead", null), Decision.Ask));
        Assert.Null(book.Covers(CallIn("sub-2", "lead"), Decision.Ask));
    }

    [Fact]
    public void A_team_grant_to_a_sub_agent_belongs_to_the_parent_and_covers_the_whole_team_including_later_sub_sessions()
    {
        var book = Granted(Request("ap-1", "sub-1", parent: "lead"), GrantScope.Team);

        var grant = Assert.Single(book.Grants);
        Assert.Equal(GrantScope.Team, grant.Scope);
        Assert.Equal(new SessionId("lead"), grant.Session);
        Assert.NotNull(book.Covers(CallIn("lead", null), Decision.Ask));
        Assert.NotNull(book.Covers(CallIn("sub-1", "lead"), Decision.Ask));
        Assert.NotNull(book.Covers(CallIn("sub-declared-later", "lead"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("stranger", null), Decision.Ask));
        Assert.Null(book.Covers(CallIn("lead", null, command: "git push --force"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("sub-1", "lead"), Decision.Deny));
    }

    [Fact]
    public void A_team_grant_asked_in_the_parent_session_covers_the_parent_and_its_sub_sessions()
    {
        var book = Granted(Request("ap-1", "lead"), GrantScope.Team);

        Assert.Equal(new SessionId("lead"), Assert.Single(book.Grants).Session);
        Assert.NotNull(book.Covers(CallIn("sub-9", "lead"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("elsewhere", "not-lead"), Decision.Ask));
    }

    [Fact]
    public void A_revoked_team_grant_covers_nobody()
    {
        var book = Granted(Request("ap-1", "sub-1", parent: "lead"), GrantScope.Team);
        var revoked = book.Revoke(book.Grants[0].Id, "admin", null, T0.AddMinutes(2)).Event!;

        book = book.Apply(revoked);

        Assert.Null(book.Covers(CallIn("sub-1", "lead"), Decision.Ask));
        Assert.Null(book.Covers(CallIn("lead", null), Decision.Ask));
    }
}
