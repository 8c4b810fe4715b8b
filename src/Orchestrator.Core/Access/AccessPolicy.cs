using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Access;

/// <summary>
/// Who may do what (DESIGN §5): an agent submits to and reads only its own calls and never sees or answers approvals;
/// operators read everything and answer approvals; admins also manage tokens. Pure: the caller supplies the principal
/// (null: no credentials) and, where the action touches one agent's calls, that agent.
/// </summary>
public static class AccessPolicy
{
    public static AccessDecision Decide(Principal? principal, RouteAction action, AgentId? owner = null)
    {
        if (action == RouteAction.Public) return AccessDecision.Allow;
        if (principal is null) return AccessDecision.NeedsToken("a bearer token is required");
        var least = LeastRole(action);
        if (principal.Role < least)
            return AccessDecision.Forbid($"{principal.Name} is an {principal.Role.Name()}; {Describe(action)} needs an {least.Name()}" +
                (principal.IsLocal && least > Role.Agent ? " (the local user proves itself with the server's secret from the data directory)" : ""));
        if (owner is { } agent && !principal.MayActFor(agent))
            return AccessDecision.Forbid($"{principal.Name} acts for agent {principal.Agent}, not for agent {agent}");
        return AccessDecision.Allow;
    }

    /// <summary>The least role an action needs.</summary>
    public static Role LeastRole(RouteAction action) => action switch
    {
        RouteAction.SubmitCall or RouteAction.CheckCall or RouteAction.ReadCall or RouteAction.ReadSession => Role.Agent,
        RouteAction.ListApprovals or RouteAction.AnswerApproval or RouteAction.ListGrants or RouteAction.RevokeGrant
            or RouteAction.ReadRefusals or RouteAction.ReadHistory => Role.Operator,
        RouteAction.ManageTokens => Role.Admin,
        _ => Role.Agent,
    };

    private static string Describe(RouteAction action) => action switch
    {
        RouteAction.SubmitCall => "submitting calls",
        RouteAction.CheckCall => "checking calls",
        RouteAction.ReadCall => "reading calls",
        RouteAction.ListApprovals => "listing approvals",
        RouteAction.AnswerApproval => "answering approvals",
        RouteAction.ListGrants => "listing grants",
        RouteAction.RevokeGrant => "revoking grants",
        RouteAction.ReadRefusals => "reading refusals",
        RouteAction.ReadHistory => "reading the history",
        RouteAction.ManageTokens => "managing tokens",
        RouteAction.ReadSession => "reading the session",
        _ => action.ToString(),
    };
}
