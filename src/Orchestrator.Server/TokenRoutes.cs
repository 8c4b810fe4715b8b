using Orchestrator.Core.Access;
using Orchestrator.Core.Calls;
using Orchestrator.Server.Security;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>
/// Admins manage tokens over the API (as <c>orchestrator tokens</c> does on the data directory): <c>POST /v1/tokens</c>
/// (201 with the token, shown this once), <c>GET /v1/tokens</c> (names, roles, agents — never secrets or hashes),
/// <c>DELETE /v1/tokens/{name}</c>.
/// </summary>
internal static class TokenRoutes
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/tokens", (TokenSource tokens) =>
            Results.Json(new { tokens = tokens.Current().Book.Records.Select(TokenView.From) }, OrchestratorServer.Json));

        app.MapPost("/v1/tokens", async (HttpContext http, TokenSource tokens, TimeProvider clock) =>
        {
            var (request, error) = await ReadJsonAsync<TokenRequest>(http);
            if (error is not null) return error;
            if (Roles.Parse(request!.Role) is not { } role)
                return Error(StatusCodes.Status400BadRequest, $"role must be agent, operator or admin, not '{request.Role}'");
            var secret = TokenSecret.Generate();
            var record = new TokenRecord(request.Name ?? "", role, request.AgentId is null ? null : new AgentId(request.AgentId),
                TokenSecret.Hash(secret), clock.GetUtcNow())
            {
                SubAgents = request.SubAgents is null ? [] : [.. request.SubAgents.Select(a => new AgentId(a ?? ""))],
            };
            var problem = tokens.Update(book => book.Add(record));
            return problem is not null
                ? Error(problem.Contains("already exists", StringComparison.Ordinal) ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, problem)
                : Results.Json(new { token = secret, issued = TokenView.From(record) }, OrchestratorServer.Json, statusCode: StatusCodes.Status201Created);
        });

        app.MapDelete("/v1/tokens/{name}", (string name, TokenSource tokens) =>
            tokens.Update(book => book.Revoke(name)) is { } revoked
                ? Results.Json(new { revoked = TokenView.From(revoked) }, OrchestratorServer.Json)
                : Error(StatusCodes.Status404NotFound, $"no token named {name}"));
    }
}

/// <summary>The body of <c>POST /v1/tokens</c>.</summary>
public sealed class TokenRequest
{
    public string? Name { get; set; }
    /// <summary><c>agent</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string? Role { get; set; }
    /// <summary>The agent an agent token is bound to.</summary>
    public string? AgentId { get; set; }
    /// <summary>Agent tokens only: the agents whose sessions may name a session of this agent as their parent (agent teams).</summary>
    public List<string?>? SubAgents { get; set; }
}

public sealed record TokenView(string Name, string Role, string? AgentId, DateTimeOffset CreatedAt, IReadOnlyList<string> SubAgents)
{
    public static TokenView From(TokenRecord r) => new(r.Name, r.Role.Name(), r.Agent?.Value, r.CreatedAt,
        r.SubAgents.IsDefault ? [] : [.. r.SubAgents.Select(a => a.Value)]);
}
