using System.Security.Claims;
using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;

namespace Orchestrator.Server.Mcp;

/// <summary>
/// Who makes an MCP tool call, as whom, in which session: over HTTP the authenticated token's principal (an agent
/// token's own agent, else <c>mcp</c>), session <c>mcp-MCP_SESSION_ID</c>; over stdio the identity
/// <c>orchestrator mcp</c> was started with (<see cref="McpStdioIdentity"/>). <see cref="MayBeAsked"/>: whether the
/// client's user may answer this caller's approvals by elicitation — only a principal that may answer approvals
/// (operator, admin, the local user; the stdio user) — so an agent's token never approves its own calls.
/// </summary>
public sealed record McpCaller(Principal Principal, AgentId Agent, SessionId Session, bool MayBeAsked)
{
    public const string DefaultAgent = "mcp";

    public static McpCaller? FromHttp(ClaimsPrincipal? user, string? mcpSession)
    {
        if (user?.Identities.OfType<PrincipalIdentity>().FirstOrDefault()?.Principal is not { } principal) return null;
        var session = mcpSession is { Length: > 0 } id && IdSyntax.IsValid($"mcp-{id}") ? $"mcp-{id}" : $"mcp-{Guid.NewGuid():n}";
        return new McpCaller(principal, principal.Agent ?? new AgentId(DefaultAgent), new SessionId(session),
            AccessPolicy.Decide(principal, RouteAction.AnswerApproval).IsAllowed);
    }
}

/// <summary>The identity of the MCP clients on this process's stdin (the user who started <c>orchestrator mcp</c>).</summary>
public sealed record McpStdioIdentity(AgentId Agent, SessionId Session)
{
    public McpCaller Caller => new(Principal.LocalUser, Agent, Session, MayBeAsked: true);
}

/// <summary>The claims identity <see cref="Security.AccessControl"/> puts on an authenticated request, carrying its principal.</summary>
public sealed class PrincipalIdentity(Principal principal)
    : ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, principal.Name), new Claim(ClaimTypes.Name, principal.Name)], "orchestrator")
{
    public Principal Principal { get; } = principal;
}
