using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Tests;

/// <summary>
/// Agent teams over the API: who may name a parent session, that the parent never changes, that the parent's grants
/// and team grants cover the sub-sessions — and that an agent naming someone else's session gains nothing.
/// </summary>
public sealed class TeamSpecs : IAsyncLifetime
{
    private const string Asked = "echo team";
    private ServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(
            o => o with { Approver = null, Policy = o.Policy with { AskRules = [$"Bash({Asked})", "Bash(echo other)"] } },
            [("root", Role.Admin, null), ("op", Role.Operator, null), ("alice", Role.Agent, "alice"), ("bob", Role.Agent, "bob"),
             ("mallory", Role.Agent, "mallory")]);
        // Alice's second token declares bob her sub-agent (as an admin would, over the API).
        var issued = await _host.Client.PostAsJsonAsync("/v1/tokens", new { name = "alice-lead", role = "agent", agentId = "alice", subAgents = new[] { "bob" } });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(["bob"], (await ServerHost.JsonOf(issued)).GetProperty("issued").GetProperty("subAgents").EnumerateArray().Select(a => a.GetString()));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient As(string name) => _host.ClientWith(_host.Tokens[name]);

    private static int _ids;

    private async Task<(HttpStatusCode Status, JsonElement Body)> SubmitAsync(string agent, string session, string? parent = null,
        string command = "ls", double wait = 0)
    {
        using var client = As(agent);
        var response = await client.PostAsJsonAsync("/v1/calls", new
        {
            id = $"team-{Interlocked.Increment(ref _ids)}-{Guid.NewGuid():n}", agentId = agent, sessionId = session, parentSessionId = parent,
            tool = "Bash", input = new Dictionary<string, string> { ["command"] = command }, cwd = _host.Project, intent = "execute", wait,
        });
        return (response.StatusCode, await ServerHost.JsonOf(response));
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task<string> PendingAsync(string agent, string session, string? parent = null, string command = Asked)
    {
        var (status, body) = await SubmitAsync(agent, session, parent, command);
        Assert.True(status == HttpStatusCode.Accepted && Text(body, "status") == "awaiting-approval", $"{status} {body}");
        return Text(body.GetProperty("pendingApproval"), "approvalId")!;
    }

    private async Task AnswerAsync(string approval, string scope)
    {
        using var op = As("op");
        var response = await op.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", scope });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task AssertCoveredAsync(string agent, string session, string? parent = null, string command = Asked)
    {
        var (status, body) = await SubmitAsync(agent, session, parent, command, wait: 30);
        Assert.True(Text(body, "status") == "completed" && Text(body, "outcome") == "allowed-and-ran", $"{status} {body}");
    }

    [Fact]
    public async Task A_session_of_the_same_agent_is_accepted_as_parent_and_its_approvals_are_listed_with_the_parent()
    {
        await SubmitAsync("alice", "same-lead");
        var (status, body) = await SubmitAsync("alice", "same-sub", parent: "same-lead");
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{status} {body}");

        var fromSub = await PendingAsync("alice", "same-sub");
        var fromLead = await PendingAsync("alice", "same-lead");

        using var op = As("op");
        var listed = (await ServerHost.JsonOf(await op.GetAsync("/v1/approvals"))).GetProperty("approvals").EnumerateArray().ToList();
        var sub = listed.Single(a => Text(a, "approvalId") == fromSub);
        Assert.Equal("same-lead", Text(sub, "parentSessionId"));
        var lead = listed.Single(a => Text(a, "approvalId") == fromLead);
        Assert.True(lead.TryGetProperty("parentSessionId", out var none) && none.ValueKind == JsonValueKind.Null, lead.ToString());
    }

    [Fact]
    public async Task A_declared_sub_agent_is_accepted_as_a_child_of_the_lead_session()
    {
        await SubmitAsync("alice", "decl-lead");

        var (status, body) = await SubmitAsync("bob", "decl-bob", parent: "decl-lead");

        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{status} {body}");
        Assert.Equal("decl-lead", Text((await PendingBodyAsync("bob", "decl-bob")), "parentSessionId"));
    }

    private async Task<JsonElement> PendingBodyAsync(string agent, string session)
    {
        var approval = await PendingAsync(agent, session);
        using var op = As("op");
        return (await ServerHost.JsonOf(await op.GetAsync("/v1/approvals"))).GetProperty("approvals").EnumerateArray()
            .Single(a => Text(a, "approvalId") == approval);
    }

    [Fact]
    public async Task An_agent_naming_another_agents_session_as_parent_is_refused_and_gains_nothing_from_the_teams_grants()
    {
        await SubmitAsync("alice", "hostile-lead");
        await AnswerAsync(await PendingAsync("alice", "hostile-lead"), "team");
        await AssertCoveredAsync("alice", "hostile-lead");

        var (status, body) = await SubmitAsync("mallory", "hostile-m", parent: "hostile-lead", command: Asked);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("cannot name session hostile-lead as the parent", Text(body, "error"));
        // Not even a parent that does not exist, nor bob's team membership on alice's behalf the other way round.
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitAsync("mallory", "hostile-m2", parent: "no-such-session")).Status);
        await SubmitAsync("bob", "hostile-bob-lead");
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitAsync("alice", "hostile-a", parent: "hostile-bob-lead")).Status);

        // Nothing was recorded for the refused declaration: mallory's session is hers alone and still asks.
        await PendingAsync("mallory", "hostile-m");
    }

    [Fact]
    public async Task A_sessions_parent_never_changes_and_is_declared_only_with_its_first_call()
    {
        await SubmitAsync("alice", "fixed-lead");
        await SubmitAsync("alice", "fixed-other");
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync("alice", "fixed-sub", parent: "fixed-lead", wait: 30)).Status);

        var (status, body) = await SubmitAsync("alice", "fixed-sub", parent: "fixed-other");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("never changes", Text(body, "error"));
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync("alice", "fixed-sub", parent: "fixed-lead", wait: 30)).Status);

        await SubmitAsync("alice", "fixed-orphan", wait: 30);
        var (late, lateBody) = await SubmitAsync("alice", "fixed-orphan", parent: "fixed-lead");
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Contains("first call", Text(lateBody, "error"));
    }

    [Fact]
    public async Task A_team_grant_covers_the_parent_and_a_sub_session_declared_after_the_answer()
    {
        await SubmitAsync("alice", "tg-lead");
        await SubmitAsync("alice", "tg-sub-1", parent: "tg-lead");
        await AnswerAsync(await PendingAsync("alice", "tg-sub-1"), "team");

        using var root = _host.ClientWith(_host.Tokens["root"]);
        var grant = (await ServerHost.JsonOf(await root.GetAsync("/v1/grants"))).GetProperty("grants").EnumerateArray()
            .Single(g => Text(g, "sessionId") == "tg-lead");
        Assert.Equal("team", Text(grant, "scope"));

        await AssertCoveredAsync("alice", "tg-lead");
        await AssertCoveredAsync("alice", "tg-sub-1");
        await AssertCoveredAsync("bob", "tg-sub-later", parent: "tg-lead");
        // The grant covers its command only, and no session outside the team.
        await PendingAsync("alice", "tg-sub-1", command: "echo other");
        await PendingAsync("alice", "tg-stranger");
    }

    [Fact]
    public async Task A_session_grant_of_the_parent_covers_its_sub_agents_but_a_sub_agents_session_grant_stays_its_own()
    {
        await SubmitAsync("alice", "sg-lead");
        await SubmitAsync("bob", "sg-bob", parent: "sg-lead");
        await SubmitAsync("alice", "sg-alice", parent: "sg-lead");
        await AnswerAsync(await PendingAsync("alice", "sg-lead"), "session");

        await AssertCoveredAsync("bob", "sg-bob");
        await AssertCoveredAsync("alice", "sg-alice");

        await AnswerAsync(await PendingAsync("bob", "sg-bob", command: "echo other"), "session");
        await AssertCoveredAsync("bob", "sg-bob", command: "echo other");
        await PendingAsync("alice", "sg-alice", command: "echo other");
        await PendingAsync("alice", "sg-lead", command: "echo other");
    }

    [Fact]
    public async Task An_unknown_scope_is_refused_naming_team_among_the_choices()
    {
        var approval = await PendingAsync("alice", "scope-check");
        using var op = As("op");

        var response = await op.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", scope = "family" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'team'", Text(await ServerHost.JsonOf(response), "error"));
    }
}
