using System.Collections.Frozen;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Security;

/// <summary>
/// The one list of who may call each route: method and route pattern → <see cref="RouteAction"/>. A mapped route
/// without an entry is refused for everyone (and a test fails), so a new route cannot be open by omission.
/// </summary>
public static class RouteAccessTable
{
    public static readonly FrozenDictionary<string, RouteAction> Entries = new Dictionary<string, RouteAction>
    {
        ["GET /healthz"] = RouteAction.Public,
        ["GET /readyz"] = RouteAction.Public,
        ["GET /openapi.json"] = RouteAction.Public,
        ["POST /v1/check"] = RouteAction.CheckCall,
        ["POST /v1/calls"] = RouteAction.SubmitCall,
        ["GET /v1/calls/{id}"] = RouteAction.ReadCall,
        ["GET /v1/calls/{id}/events"] = RouteAction.ReadCall,
        ["GET /v1/approvals"] = RouteAction.ListApprovals,
        ["POST /v1/approvals/{id}"] = RouteAction.AnswerApproval,
        ["GET /v1/grants"] = RouteAction.ListGrants,
        ["DELETE /v1/grants/{id}"] = RouteAction.RevokeGrant,
        ["GET /v1/refusals"] = RouteAction.ReadRefusals,
        ["GET /v1/history"] = RouteAction.ReadHistory,
        ["POST /v1/replay"] = RouteAction.ReadHistory,
        ["GET /v1/shadow"] = RouteAction.ReadHistory,
        ["GET /v1/tokens"] = RouteAction.ManageTokens,
        ["POST /v1/tokens"] = RouteAction.ManageTokens,
        ["DELETE /v1/tokens/{name}"] = RouteAction.ManageTokens,
        // MCP streamable HTTP, stateless (the SDK's default: POST only): every tools/call is a call
        // of the token's own agent, judged like POST /v1/calls.
        ["POST /mcp/"] = RouteAction.SubmitCall,
        ["GET /"] = RouteAction.Public,
        ["GET /console/{file}"] = RouteAction.Public,
        ["POST /v1/session"] = RouteAction.Public,
        ["GET /v1/session"] = RouteAction.ReadSession,
        ["DELETE /v1/session"] = RouteAction.Public,
        ["GET /v1/approvals/stream"] = RouteAction.ListApprovals,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Key(string method, string pattern) => $"{method} {pattern}";

    public static RouteAction? Find(string method, string pattern) =>
        Entries.TryGetValue(Key(method, pattern), out var action) ? action : null;
}
