using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary><c>GET /v1/approvals</c> paged: limit, cursor, filters, total, and bad values refused with 400.</summary>
public sealed class ApprovalListingSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(git push)"] },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> SubmitAskAsync(string id, string agent = "agent-1", string session = "s1")
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("git push", agent: agent, session: session, id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await _host.Client.GetAsync($"/v1/approvals{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ServerHost.JsonOf(response);
    }

    private static List<string> Ids(JsonElement page) =>
        [.. page.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("approvalId").GetString()!)];

    [Fact]
    public async Task Paging_while_approvals_are_answered_and_added_shows_each_that_stayed_pending_exactly_once()
    {
        var start = new List<string>();
        for (var i = 0; i < 12; i++) start.Add(await SubmitAskAsync($"page-{i}", agent: $"agent-{i % 2}", session: $"s{i % 2}-{i % 3}"));
        var answered = new HashSet<string>();
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"?limit=5{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            seen.AddRange(Ids(page));
            Assert.True(Ids(page).Count <= 5);
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
            if (++pages == 1)
            {
                // Between pages: one approval not yet listed is answered, one already listed is answered, a new one is raised.
                var notYet = start.First(id => !seen.Contains(id));
                foreach (var id in new[] { notYet, seen[0] })
                {
                    Assert.Equal(HttpStatusCode.OK, (await _host.Client.PostAsJsonAsync($"/v1/approvals/{id}", new { decision = "deny" })).StatusCode);
                    answered.Add(id);
                }
                await SubmitAskAsync("page-late");
            }
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), start.Where(id => !answered.Contains(id)).ToHashSet());
        Assert.DoesNotContain(start.First(id => answered.Contains(id) && id != seen[0]), seen);
        Assert.Equal(11, (await ListAsync("?limit=1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Without_a_limit_the_answer_keeps_its_shape_with_next_and_total_added()
    {
        var approval = await SubmitAskAsync("shape-1");

        var page = await ListAsync("");

        Assert.Equal([approval], Ids(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        // A server of one project names no workspace (a multi-root server names the root the call was served in).
        Assert.Equal(JsonValueKind.Null, page.GetProperty("approvals")[0].GetProperty("workspace").ValueKind);
    }

    [Fact]
    public async Task Filters_by_agent_and_session_list_only_theirs_with_their_total()
    {
        var mine = await SubmitAskAsync("filter-1", agent: "agent-x", session: "sx");
        var also = await SubmitAskAsync("filter-2", agent: "agent-x", session: "sy");
        var other = await SubmitAskAsync("filter-3", agent: "agent-y", session: "sz");

        var byAgent = await ListAsync("?agent=agent-x");
        Assert.Equal(new HashSet<string> { mine, also }, Ids(byAgent).ToHashSet());
        Assert.Equal(2, byAgent.GetProperty("total").GetInt32());
        Assert.Equal([also], Ids(await ListAsync("?agent=agent-x&session=sy")));
        Assert.Equal([other], Ids(await ListAsync("?session=sz")));
        Assert.Empty(Ids(await ListAsync("?agent=agent-x&session=sz")));
        Assert.Equal(0, (await ListAsync("?workspace=/elsewhere")).GetProperty("total").GetInt32());
        var nobody = await ListAsync("?agent=nobody");
        Assert.Empty(Ids(nobody));
        Assert.Equal(0, nobody.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_session_prefix_pages_through_its_sessions_only_with_their_total()
    {
        var theirs = new List<string>();
        for (var i = 0; i < 4; i++) await SubmitAskAsync($"other-{i}", session: $"op-{i}");
        for (var i = 0; i < 7; i++) theirs.Add(await SubmitAskAsync($"lt-r1-a{i}-c0", agent: $"agent-{i}", session: $"lt-r1-s{i}"));
        await SubmitAskAsync("lt-r10-a0-c0", session: "lt-r10-s0");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync($"?sessionPrefix=lt-r1-&limit=3{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            Assert.Equal(7, page.GetProperty("total").GetInt32());
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
        }
        while (cursor is not null && seen.Count < 100);

        Assert.Equal(theirs.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(8, (await ListAsync("?sessionPrefix=lt-r1")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await ListAsync("?sessionPrefix=lt-r1-&agent=agent-3")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("?limit=0", "limit must be 1-1000, not '0'")]
    [InlineData("?limit=1001", "limit must be 1-1000, not '1001'")]
    [InlineData("?limit=many", "limit must be 1-1000, not 'many'")]
    [InlineData("?cursor=12345", "cursor must be the 'next' of a previous page, not '12345'")]
    [InlineData("?cursor=%E2%80%AEabc", "cursor must be the 'next' of a previous page")]
    [InlineData("?sessionPrefix=lt%2F..", "sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+002F at position 3")]
    [InlineData("?sessionPrefix=%E2%80%AElt", "sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+202E at position 1")]
    public async Task A_bad_limit_cursor_or_session_prefix_is_400_naming_the_value(string query, string error)
    {
        var response = await _host.Client.GetAsync($"/v1/approvals{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }
}
