using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>POST /v1/check</c> is a decide-only call through the pipeline: recorded in the checking agent's history, or —
/// for operators only — judged unrecorded with every finding.
/// </summary>
public sealed class CheckRouteSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(
        o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(git push)"] } },
        [("root", Role.Admin, null), ("op", Role.Operator, null), ("alice", Role.Agent, "alice")]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient As(string name) => _host.ClientWith(_host.Tokens[name]);

    private object Check(string command, bool? record = null, string? intent = null) =>
        new { tool = "Bash", input = new { command }, cwd = _host.Project, record, intent };

    [Fact]
    public async Task An_agents_check_is_recorded_in_its_own_check_session_with_outcome_decided_only()
    {
        using var alice = As("alice");
        var response = await alice.PostAsJsonAsync("/v1/check", Check("git push"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var verdict = await ServerHost.JsonOf(response);
        Assert.Equal("ask", verdict.GetProperty("decision").GetString());
        Assert.Equal("rule-ask", verdict.GetProperty("reasonClass").GetString());
        Assert.Equal("ask", verdict.GetProperty("matchedRule").GetProperty("decision").GetString());
        Assert.True(verdict.GetProperty("recorded").GetBoolean());
        Assert.Equal("alice", verdict.GetProperty("agentId").GetString());
        Assert.Equal("check.alice", verdict.GetProperty("sessionId").GetString());
        Assert.Equal("decided-only", verdict.GetProperty("outcome").GetString());
        Assert.False(verdict.GetProperty("effectiveMode").GetProperty("sandboxed").GetBoolean());

        var id = verdict.GetProperty("callId").GetString()!;
        var events = await ServerHost.JsonOf(await alice.GetAsync($"/v1/calls/{id}/events"));
        var decided = Assert.Single(events.GetProperty("events").EnumerateArray());
        Assert.Equal("call-received-and-decided.v1", decided.GetProperty("type").GetString());
        Assert.Equal("decideOnly", decided.GetProperty("event").GetProperty("received").GetProperty("intent").GetString());

        // Nothing waits for an operator: a check never raises an approval.
        using var op = As("op");
        var pending = await ServerHost.JsonOf(await op.GetAsync("/v1/approvals"));
        Assert.Empty(pending.GetProperty("approvals").EnumerateArray());
    }

    [Fact]
    public async Task An_agent_asking_not_to_record_its_check_is_refused_and_the_refusal_is_recorded()
    {
        using var alice = As("alice");
        var response = await alice.PostAsJsonAsync("/v1/check", Check("git push", record: false));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("needs an operator", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());

        using var op = As("op");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        List<JsonElement> refusals;
        do refusals = (await ServerHost.JsonOf(await op.GetAsync("/v1/refusals"))).GetProperty("refusals").EnumerateArray().ToList();
        while (!refusals.Any(r => r.GetProperty("route").GetString() == "POST /v1/check") && DateTime.UtcNow < deadline);
        var refusal = Assert.Single(refusals, r => r.GetProperty("route").GetString() == "POST /v1/check");
        Assert.Equal("alice", refusal.GetProperty("who").GetString());
        Assert.Equal(403, refusal.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("op")]
    [InlineData("root")]
    public async Task Operators_check_unrecorded_and_get_every_finding(string who)
    {
        using var client = As(who);
        var body = new { id = $"unrecorded-{who}", tool = "Bash", input = new { command = "git push && curl https://example.com" }, cwd = _host.Project, record = false };
        var response = await client.PostAsJsonAsync("/v1/check", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = await ServerHost.JsonOf(response);
        Assert.Equal("deny", verdict.GetProperty("decision").GetString());
        Assert.False(verdict.GetProperty("recorded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, verdict.GetProperty("callId").ValueKind);
        var findings = verdict.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("decision").GetString()).ToList();
        Assert.Contains("ask", findings);
        Assert.Contains("deny", findings);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/calls/unrecorded-{who}")).StatusCode);
    }

    [Fact]
    public async Task A_check_that_asks_to_execute_or_a_submission_that_asks_not_to_be_recorded_is_a_400()
    {
        using var root = As("root");
        var execute = await root.PostAsJsonAsync("/v1/check", Check("ls", intent: "execute"));
        Assert.Equal(HttpStatusCode.BadRequest, execute.StatusCode);
        Assert.Contains("decide-only", (await ServerHost.JsonOf(execute)).GetProperty("error").GetString());

        var unrecorded = await root.PostAsJsonAsync("/v1/calls", new
        {
            id = "never", agentId = "alice", sessionId = "s", tool = "Bash", input = new { command = "ls" }, cwd = _host.Project, record = false,
        });
        Assert.Equal(HttpStatusCode.BadRequest, unrecorded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await root.GetAsync("/v1/calls/never")).StatusCode);
    }
}
