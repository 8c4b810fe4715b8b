using System.Net;
using System.Net.Http.Json;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Tests;

/// <summary>Who answers is the token, never the body; the submitter cannot approve; refusals are recorded; tokens over the API.</summary>
public sealed class IdentitySpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(
        o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(git push)"] } },
        [("root", Role.Admin, null), ("op", Role.Operator, null), ("op2", Role.Operator, null), ("alice", Role.Agent, "alice")]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient As(string name) => _host.ClientWith(_host.Tokens[name]);

    private async Task<string> PendingAsync(string submitter, string id)
    {
        using var client = As(submitter);
        var response = await client.PostAsJsonAsync("/v1/calls", _host.Bash("git push", agent: "alice", session: $"s-{id}", id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    [Theory]
    [InlineData("root")]
    [InlineData("op2")]
    [InlineData("alice")]
    [InlineData("")]
    public async Task An_answeredBy_naming_anyone_but_the_token_is_refused_and_the_approval_stays_pending(string forged)
    {
        var approval = await PendingAsync("alice", $"forge-{forged.Length}{forged}");
        using var op = As("op");

        var response = await op.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", answeredBy = forged });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("authenticated identity", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
        var list = await ServerHost.JsonOf(await op.GetAsync("/v1/approvals"));
        Assert.Contains(list.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("approvalId").GetString() == approval);
    }

    [Fact]
    public async Task The_answer_records_the_tokens_name()
    {
        var approval = await PendingAsync("alice", "named");
        using var op = As("op");

        var response = await op.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", answeredBy = "op" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("op", (await ServerHost.JsonOf(response)).GetProperty("answer").GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task Whoever_submitted_a_call_cannot_approve_it_but_another_operator_can()
    {
        var approval = await PendingAsync("op", "own-call");
        using var op = As("op");
        using var op2 = As("op2");

        var own = await op.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve", scope = "always" });
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Contains("cannot approve", (await ServerHost.JsonOf(own)).GetProperty("error").GetString());

        var other = await op2.PostAsJsonAsync($"/v1/approvals/{approval}", new { decision = "approve" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("op2", (await ServerHost.JsonOf(other)).GetProperty("answer").GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task Refusals_are_recorded_and_a_flood_is_recorded_once_with_its_count()
    {
        using var alice = As("alice");
        using var nobody = _host.ClientWith(null);
        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/v1/approvals")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/v1/grants")).StatusCode);

        using var op = As("op");
        var refusals = await WaitForRefusalsAsync(op, r => r.Any(x => x.GetProperty("route").GetString() == "GET /v1/grants"));
        var approvals = Assert.Single(refusals, r => r.GetProperty("who").GetString() == "alice" && r.GetProperty("route").GetString() == "GET /v1/approvals");
        Assert.Equal(403, approvals.GetProperty("status").GetInt32());
        Assert.Contains("needs an operator", approvals.GetProperty("reason").GetString());
        var grants = Assert.Single(refusals, r => r.GetProperty("route").GetString() == "GET /v1/grants");
        Assert.Equal(401, grants.GetProperty("status").GetInt32());
        Assert.StartsWith("unauthenticated", grants.GetProperty("who").GetString());
    }

    private static async Task<List<System.Text.Json.JsonElement>> WaitForRefusalsAsync(HttpClient op, Func<List<System.Text.Json.JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var list = (await ServerHost.JsonOf(await op.GetAsync("/v1/refusals"))).GetProperty("refusals").EnumerateArray().ToList();
            if (done(list) || DateTime.UtcNow > deadline) return list;
            await Task.Yield();
        }
    }

    [Fact]
    public async Task An_admin_issues_a_token_that_works_at_once_lists_no_secrets_and_revokes_it()
    {
        using var root = As("root");
        var issued = await root.PostAsJsonAsync("/v1/tokens", new { name = "carol", role = "agent", agentId = "carol" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = (await ServerHost.JsonOf(issued)).GetProperty("token").GetString()!;
        Assert.StartsWith(TokenSecret.Prefix, token);

        using var carol = _host.ClientWith(token);
        Assert.Equal(HttpStatusCode.Created, (await carol.PostAsJsonAsync("/v1/calls", _host.Bash("ls", agent: "carol", session: "s-carol"))).StatusCode);
        var list = await (await root.GetAsync("/v1/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("carol", list);
        Assert.DoesNotContain(token, list);
        Assert.DoesNotContain(TokenSecret.Hash(token), list);

        Assert.Equal(HttpStatusCode.OK, (await root.DeleteAsync("/v1/tokens/carol")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.PostAsJsonAsync("/v1/calls", _host.Bash("ls", agent: "carol", session: "s-carol"))).StatusCode);
    }

    [Fact]
    public async Task A_token_written_to_the_data_directory_while_serving_is_accepted_at_once()
    {
        var secret = TokenSecret.Generate();
        Assert.Null(TokenStoreFile.Update(_host.DataDirectory, book =>
            book.Add(new TokenRecord("dave", Role.Operator, null, TokenSecret.Hash(secret), DateTimeOffset.UtcNow))));

        using var dave = _host.ClientWith(secret);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("/v1/approvals")).StatusCode);
    }

    [Fact]
    public async Task With_tokens_the_server_secret_and_no_credentials_are_refused()
    {
        using var nobody = _host.ClientWith(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsJsonAsync("/v1/calls", _host.Bash("ls"))).StatusCode);
        Assert.False(File.Exists(ServerSecret.PathIn(_host.DataDirectory)));
    }
}
