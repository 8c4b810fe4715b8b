using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>Operator approvals over HTTP, call history and the submission rules around them (no automatic approver).</summary>
public sealed class ApprovalRouteSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(git push)"] },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> SubmitAskAsync(string id)
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("git push", id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var call = await ServerHost.JsonOf(response);
        Assert.Equal("awaiting-approval", call.GetProperty("status").GetString());
        return call.GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    private Task<HttpResponseMessage> AnswerAsync(string approvalId, object body) =>
        _host.Client.PostAsJsonAsync($"/v1/approvals/{approvalId}", body);

    [Fact]
    public async Task An_ask_answers_202_is_listed_and_a_denial_completes_it_while_a_second_answer_gets_409_with_the_first()
    {
        var approvalId = await SubmitAskAsync("ask-1");

        var list = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/approvals"));
        var pending = Assert.Single(list.GetProperty("approvals").EnumerateArray());
        Assert.Equal(approvalId, pending.GetProperty("approvalId").GetString());
        Assert.Equal("ask-1", pending.GetProperty("callId").GetString());

        var denied = await AnswerAsync(approvalId, new { decision = "deny", reason = "not today" });
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal("approval-denied", (await ServerHost.JsonOf(denied)).GetProperty("call").GetProperty("outcome").GetString());

        var second = await AnswerAsync(approvalId, new { decision = "approve" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var conflict = await ServerHost.JsonOf(second);
        Assert.Equal("duplicate-answer", conflict.GetProperty("code").GetString());
        Assert.Equal("local", conflict.GetProperty("firstAnswer").GetProperty("answeredBy").GetString());
        Assert.False(conflict.GetProperty("firstAnswer").GetProperty("approved").GetBoolean());
        Assert.Empty((await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/approvals"))).GetProperty("approvals").EnumerateArray());
    }

    [Fact]
    public async Task An_answer_to_an_unknown_approval_is_404()
    {
        var response = await AnswerAsync("never-issued", new { decision = "approve" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("never-issued", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{\"decision\":\"maybe\"}", "decision")]
    [InlineData("{\"decision\":\"approve\",\"scope\":\"forever\"}", "scope")]
    [InlineData("{ nope", "malformed JSON")]
    public async Task A_bad_answer_body_is_400_and_leaves_the_approval_pending(string body, string mentioned)
    {
        var approvalId = await SubmitAskAsync("ask-bad");

        var response = await _host.Client.PostAsync($"/v1/approvals/{approvalId}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
        Assert.Single((await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/approvals"))).GetProperty("approvals").EnumerateArray());
    }

    [Fact]
    public async Task Waiting_on_a_call_that_needs_an_operator_answers_202_when_the_wait_is_over()
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("git push", id: "ask-wait", intent: "execute", wait: 0.5));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/v1/calls/ask-wait", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_calls_events_come_from_the_journal_in_order_with_their_stable_type_names()
    {
        var approvalId = await SubmitAskAsync("ask-events");
        await AnswerAsync(approvalId, new { decision = "deny" });

        var history = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/ask-events/events"));

        var types = history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(["call-received-and-decided.v1", "approval-requested.v1", "approval-answered.v1", "call-completed.v1"], types);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/v1/calls/nope/events")).StatusCode);
    }

    [Fact]
    public async Task A_call_id_already_used_in_another_session_is_409()
    {
        Assert.Equal(HttpStatusCode.Created, (await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("ls", id: "shared", session: "s1"))).StatusCode);

        var clash = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("ls", id: "shared", session: "s2"));

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Contains("s1", (await ServerHost.JsonOf(clash)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public async Task A_wait_out_of_range_is_400(double wait)
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("ls", wait: wait));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("wait", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }
}

public sealed class ParallelSubmissionSpecs
{
    [Fact]
    public async Task A_thousand_parallel_submissions_from_a_hundred_agents_are_all_recorded_and_readable()
    {
        await using var host = await ServerHost.StartAsync();
        var submissions = Enumerable.Range(0, 1000).Select(i => (Id: $"p-{i}", Agent: $"agent-{i % 100}", Session: $"session-{i % 100}",
            Command: i % 3 == 0 ? "curl https://example.com" : "ls -la")).ToList();

        var responses = await Task.WhenAll(submissions.Select(s =>
            host.Client.PostAsJsonAsync("/v1/calls", host.Bash(s.Command, agent: s.Agent, session: s.Session, id: s.Id))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var fetched = await Task.WhenAll(submissions.Select(async s =>
            (s, await ServerHost.JsonOf(await host.Client.GetAsync($"/v1/calls/{s.Id}")))));
        Assert.All(fetched, f =>
        {
            Assert.Equal(f.s.Session, f.Item2.GetProperty("sessionId").GetString());
            Assert.Equal(f.s.Command.StartsWith("curl", StringComparison.Ordinal) ? "deny" : "allow", f.Item2.GetProperty("decision").GetString());
        });
    }
}
