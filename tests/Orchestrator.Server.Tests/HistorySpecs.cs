using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>GET /v1/history</c> over a journal built by the test through the real server: each filter picks exactly the
/// calls it names, and walking the pages by cursor gives every call once, in the journal's order.
/// </summary>
public sealed class HistorySpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o => o with { Policy = o.Policy with { AskRules = ["Bash(git push)"] } });
        // alice: two allowed, one denied by rule; bob: one denied by rule, one ask answered no by the automatic approver.
        foreach (var (command, agent, id) in new[]
                 {
                     ("ls", "alice", "h-1"), ("curl http://example.com", "alice", "h-2"), ("pwd", "alice", "h-3"),
                     ("curl http://example.org", "bob", "h-4"), ("git push", "bob", "h-5"),
                 })
        {
            var intent = command == "git push" ? "execute" : "decide-only";
            var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, agent: agent, session: "s-" + agent, id: id, intent: intent, wait: 30));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(string[] Ids, JsonElement Page)> List(string query)
    {
        var response = await _host.Client.GetAsync("/v1/history" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await ServerHost.JsonOf(response);
        return ([.. page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("callId").GetString()!)], page);
    }

    [Theory]
    [InlineData("", "h-1 h-2 h-3 h-4 h-5")]
    [InlineData("?agent=bob", "h-4 h-5")]
    [InlineData("?session=s-alice", "h-1 h-2 h-3")]
    [InlineData("?decision=deny", "h-2 h-4")]
    [InlineData("?decision=ask", "h-5")]
    [InlineData("?outcome=approval-denied", "h-5")]
    [InlineData("?outcome=decided-only&agent=alice", "h-1 h-3")]
    [InlineData("?outcome=denied", "h-2 h-4")]
    [InlineData("?rule=CURL", "h-2 h-4")]
    [InlineData("?tool=bash&decision=allow", "h-1 h-3")]
    [InlineData("?tool=Read", "")]
    [InlineData("?from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z", "")]
    [InlineData("?from=2000-01-01T00:00:00Z", "h-1 h-2 h-3 h-4 h-5")]
    public async Task Each_filter_lists_exactly_the_calls_it_names(string query, string expected)
    {
        var (ids, _) = await List(query);
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), ids);
    }

    [Fact]
    public async Task A_listed_call_carries_its_decision_rule_layer_and_outcome()
    {
        var (_, page) = await List("?agent=alice&decision=deny");
        var call = page.GetProperty("calls").EnumerateArray().Single();
        Assert.Equal("curl http://example.com", call.GetProperty("subject").GetString());
        Assert.Equal("Bash(curl:*)", call.GetProperty("rule").GetString());
        Assert.Equal("command-line", call.GetProperty("layer").GetString());
        Assert.Equal("denied", call.GetProperty("outcome").GetString());
        Assert.Equal("s-alice", call.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Paging_by_cursor_gives_every_call_once_in_journal_order()
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (ids, page) = await List("?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.InRange(ids.Length, 1, 2);
            seen.AddRange(ids);
            cursor = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            Assert.True(++pages <= 3, "more pages than calls / 2");
        }
        while (cursor is not null);
        Assert.Equal(["h-1", "h-2", "h-3", "h-4", "h-5"], seen);
        var (filtered, last) = await List("?limit=1&agent=bob&cursor=" + (await List("?limit=1&agent=bob")).Page.GetProperty("next").GetString());
        Assert.Equal(["h-5"], filtered);
    }

    [Theory]
    [InlineData("?decision=maybe", "decision must be allow, ask or deny")]
    [InlineData("?outcome=exploded", "outcome must be open or one of")]
    [InlineData("?from=yesterday", "from must be an ISO 8601 time")]
    [InlineData("?limit=0", "limit must be 1-1000")]
    [InlineData("?cursor=-4", "cursor must be the 'next' of a previous page")]
    public async Task A_bad_filter_is_refused_with_a_line_naming_it(string query, string error)
    {
        var response = await _host.Client.GetAsync("/v1/history" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(error, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }
}
