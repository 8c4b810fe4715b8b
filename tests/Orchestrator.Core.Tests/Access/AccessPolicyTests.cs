using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests.Access;

public class AccessPolicyTests
{
    private static readonly AgentId Alice = new("alice");
    private static readonly AgentId Bob = new("bob");

    public static TheoryData<RouteAction> Actions() => [.. Enum.GetValues<RouteAction>()];

    [Theory]
    [MemberData(nameof(Actions))]
    public void Without_credentials_only_public_routes_are_allowed_and_the_rest_need_a_token(RouteAction action)
    {
        var decision = AccessPolicy.Decide(null, action);

        Assert.Equal(action == RouteAction.Public ? AccessOutcome.Allowed : AccessOutcome.Unauthenticated, decision.Outcome);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Each_role_is_allowed_exactly_the_actions_at_or_below_it(RouteAction action)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            var principal = new Principal("p", role, role == Role.Agent ? Alice : null);
            var allowed = AccessPolicy.Decide(principal, action, role == Role.Agent ? Alice : null).IsAllowed;
            Assert.Equal(action == RouteAction.Public || role >= AccessPolicy.LeastRole(action), allowed);
        }
    }

    [Fact]
    public void An_agent_never_lists_or_answers_approvals_nor_manages_grants_tokens_or_refusals()
    {
        var agent = new Principal("alice", Role.Agent, Alice);
        foreach (var action in new[] { RouteAction.ListApprovals, RouteAction.AnswerApproval, RouteAction.ListGrants, RouteAction.RevokeGrant,
                     RouteAction.ReadRefusals, RouteAction.ReadHistory, RouteAction.ManageTokens })
            Assert.Equal(AccessOutcome.Forbidden, AccessPolicy.Decide(agent, action).Outcome);
    }

    [Theory]
    [InlineData(RouteAction.SubmitCall)]
    [InlineData(RouteAction.ReadCall)]
    [InlineData(RouteAction.CheckCall)]
    public void An_agent_token_acts_for_its_own_agent_only(RouteAction action)
    {
        var agent = new Principal("alice-token", Role.Agent, Alice);

        Assert.True(AccessPolicy.Decide(agent, action, Alice).IsAllowed);
        var other = AccessPolicy.Decide(agent, action, Bob);
        Assert.Equal(AccessOutcome.Forbidden, other.Outcome);
        Assert.Contains("not for agent bob", other.Reason);
    }

    [Fact]
    public void Operators_and_admins_read_every_agents_calls()
    {
        Assert.True(AccessPolicy.Decide(new Principal("op", Role.Operator), RouteAction.ReadCall, Bob).IsAllowed);
        Assert.True(AccessPolicy.Decide(new Principal("root", Role.Admin), RouteAction.ReadCall, Bob).IsAllowed);
        Assert.False(AccessPolicy.Decide(new Principal("op", Role.Operator), RouteAction.ManageTokens).IsAllowed);
    }

    [Fact]
    public void The_local_caller_acts_for_any_agent_but_is_told_how_the_local_user_proves_itself()
    {
        Assert.True(AccessPolicy.Decide(Principal.LocalCaller, RouteAction.SubmitCall, Bob).IsAllowed);
        var answer = AccessPolicy.Decide(Principal.LocalCaller, RouteAction.AnswerApproval);

        Assert.Equal(AccessOutcome.Forbidden, answer.Outcome);
        Assert.Contains("server's secret", answer.Reason);
        Assert.True(AccessPolicy.Decide(Principal.LocalUser, RouteAction.AnswerApproval).IsAllowed);
    }
}
