using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Access;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Every route × every role × own/other agent (and no token) over the real app with tokens: who gets through
/// authentication and authorization (any answer but 401/403 means "let in"; the route then answers for itself).
/// </summary>
public sealed class AuthorizationMatrixSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;
    private string _aliceCall = null!;
    private string _aliceSession = null!;

    public const string Root = "root", Op = "op", Alice = "alice", Bob = "bob", Nobody = "(no token)";

    public static readonly (string Name, Role Role, string? Agent)[] Issued =
        [(Root, Role.Admin, null), (Op, Role.Operator, null), (Alice, Role.Agent, "alice"), (Bob, Role.Agent, "bob")];

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(git push)"] } }, Issued);
        _aliceSession = "s-alice";
        using var alice = _host.ClientWith(_host.Tokens[Alice]);
        var response = await alice.PostAsJsonAsync("/v1/calls", _host.Bash("git push", agent: "alice", session: _aliceSession, id: "alice-1", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        _aliceCall = "alice-1";
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A request per route: method, path, body (null: none), and who is let in.</summary>
    private IEnumerable<(string Route, HttpMethod Method, string Path, Func<object>? Body, string[] LetIn)> Matrix()
    {
        string[] everyone = [Nobody, Root, Op, Alice, Bob];
        string[] anyToken = [Root, Op, Alice, Bob];
        string[] ownAgentAndStaff = [Root, Op, Alice];
        string[] staff = [Root, Op];
        string[] admin = [Root];
        yield return ("GET /healthz", HttpMethod.Get, "/healthz", null, everyone);
        yield return ("GET /readyz", HttpMethod.Get, "/readyz", null, everyone);
        yield return ("GET /openapi.json", HttpMethod.Get, "/openapi.json", null, everyone);
        yield return ("POST /v1/check", HttpMethod.Post, "/v1/check", () => _host.Bash("ls", agent: "alice", session: "check"), ownAgentAndStaff);
        yield return ("POST /v1/check", HttpMethod.Post, "/v1/check", () => new { tool = "Bash", input = new { command = "ls" }, cwd = _host.Project }, anyToken);
        yield return ("POST /v1/calls", HttpMethod.Post, "/v1/calls", () => _host.Bash("ls", agent: "alice", session: _aliceSession, id: Guid.NewGuid().ToString("n")), ownAgentAndStaff);
        yield return ("GET /v1/calls/{id}", HttpMethod.Get, $"/v1/calls/{_aliceCall}", null, ownAgentAndStaff);
        yield return ("GET /v1/calls/{id}/events", HttpMethod.Get, $"/v1/calls/{_aliceCall}/events", null, ownAgentAndStaff);
        yield return ("GET /v1/approvals", HttpMethod.Get, "/v1/approvals", null, staff);
        yield return ("POST /v1/approvals/{id}", HttpMethod.Post, "/v1/approvals/never-issued", () => new { decision = "deny" }, staff);
        yield return ("GET /v1/grants", HttpMethod.Get, "/v1/grants", null, staff);
        yield return ("DELETE /v1/grants/{id}", HttpMethod.Delete, "/v1/grants/never-granted", null, staff);
        yield return ("GET /v1/refusals", HttpMethod.Get, "/v1/refusals", null, staff);
        yield return ("GET /v1/history", HttpMethod.Get, "/v1/history", null, staff);
        yield return ("POST /v1/replay", HttpMethod.Post, "/v1/replay", () => new { }, staff);
        yield return ("GET /v1/shadow", HttpMethod.Get, "/v1/shadow", null, staff);
        yield return ("GET /v1/tokens", HttpMethod.Get, "/v1/tokens", null, admin);
        yield return ("POST /v1/tokens", HttpMethod.Post, "/v1/tokens", () => new { name = $"t-{Guid.NewGuid():n}"[..20], role = "operator" }, admin);
        yield return ("DELETE /v1/tokens/{name}", HttpMethod.Delete, "/v1/tokens/never-issued", null, admin);
        yield return ("POST /mcp/", HttpMethod.Post, "/mcp", () => new { jsonrpc = "2.0", id = 1, method = "ping" }, anyToken);
        yield return ("GET /", HttpMethod.Get, "/", null, everyone);
        yield return ("GET /console/{file}", HttpMethod.Get, "/console/app.js", null, everyone);
        yield return ("POST /v1/session", HttpMethod.Post, "/v1/session", () => new { token = _host.Tokens[Op] }, everyone);
        yield return ("GET /v1/session", HttpMethod.Get, "/v1/session", null, anyToken);
        yield return ("DELETE /v1/session", HttpMethod.Delete, "/v1/session", null, everyone);
        yield return ("GET /v1/approvals/stream", HttpMethod.Get, "/v1/approvals/stream", null, staff);
    }

    [Fact]
    public async Task Every_route_lets_in_exactly_the_roles_and_agents_it_should()
    {
        var failures = new List<string>();
        foreach (var (route, method, path, body, letIn) in Matrix())
            foreach (var who in new[] { Nobody, Root, Op, Alice, Bob })
            {
                using var client = _host.ClientWith(who == Nobody ? null : _host.Tokens[who]);
                using var request = new HttpRequestMessage(method, path);
                if (body is not null) request.Content = JsonContent.Create(body());
                // Headers only: the approval stream never ends, and its status is all this matrix needs.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var status = (int)response.StatusCode;
                var expected = letIn.Contains(who) ? "let in" : who == Nobody ? "401" : "403";
                var actual = status switch { 401 => "401", 403 => "403", _ => "let in" };
                if (expected != actual) failures.Add($"{route} ({path}) as {who}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
                if (status == 401) Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_matrix_covers_every_route_in_the_access_table_and_the_table_every_mapped_route()
    {
        var mapped = _host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => RouteAccessTable.Key(m, e.RoutePattern.RawText!)))
            .ToHashSet();

        Assert.Empty(mapped.Except(RouteAccessTable.Entries.Keys));
        Assert.Empty(RouteAccessTable.Entries.Keys.Except(mapped));
        Assert.Empty(RouteAccessTable.Entries.Keys.Except(Matrix().Select(m => m.Route)));
    }

    [Fact]
    public async Task The_openapi_document_lists_exactly_the_routes_of_the_access_table()
    {
        var document = await ServerHost.JsonOf(await _host.Client.GetAsync("/openapi.json"));

        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => RouteAccessTable.Key(m.Name.ToUpperInvariant(), p.Name)))
            .ToHashSet();
        Assert.Equal(RouteAccessTable.Entries.Keys.Order(), documented.Order());
    }

    [Fact]
    public async Task An_agent_cannot_submit_into_a_session_another_agent_opened_even_under_its_own_agent_id()
    {
        using var bob = _host.ClientWith(_host.Tokens[Bob]);

        var response = await bob.PostAsJsonAsync("/v1/calls", _host.Bash("ls", agent: "bob", session: _aliceSession, id: "bob-rides", intent: "execute"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("belongs to another agent", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/v1/calls/bob-rides")).StatusCode);
    }

    [Fact]
    public async Task An_agent_does_not_learn_another_agents_call_through_a_reused_id()
    {
        using var bob = _host.ClientWith(_host.Tokens[Bob]);

        var response = await bob.PostAsJsonAsync("/v1/calls", _host.Bash("ls", agent: "bob", session: "s-bob", id: _aliceCall));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain(_aliceSession, await response.Content.ReadAsStringAsync());
    }
}
