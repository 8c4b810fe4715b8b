using System.Net;
using System.Net.Http.Json;
using System.Text;
using Orchestrator.Core.Calls;

namespace Orchestrator.Server.Tests;

/// <summary>Every field of a call is checked into its type (and every id by <see cref="IdSyntax"/>) before any actor sees it.</summary>
public sealed class InputValidationSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with { Approver = null });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> PostRaw(string path, string json) =>
        _host.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private string Body(string id = "\"v1\"", string agent = "\"a1\"", string session = "\"s1\"", string tool = "\"Bash\"",
        string input = "{\"command\":\"ls\"}", string extra = "", string intent = "decide-only") =>
        $"{{\"id\":{id},\"agentId\":{agent},\"sessionId\":{session},\"tool\":{tool},\"input\":{input},\"cwd\":{System.Text.Json.JsonSerializer.Serialize(_host.Project)},\"intent\":\"{intent}\"{extra}}}";

    public static TheoryData<string, string> BadIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "id", "agentId", "sessionId", "tool" })
            foreach (var bad in new[] { "\"a/b\"", "\".\"", "\"..\"", "\"\"", "\"a b\"", "\"x\\u0000y\"", "\"\\u202eab\"", $"\"{new string('x', 129)}\"" })
                data.Add(field, bad);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Every_id_field_of_a_submission_follows_the_id_syntax_or_is_refused_400_with_the_rule(string field, string value)
    {
        var body = field switch
        {
            "id" => Body(id: value),
            "agentId" => Body(agent: value),
            "sessionId" => Body(session: value),
            _ => Body(tool: value),
        };
        var response = await PostRaw("/v1/calls", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ServerHost.JsonOf(response)).GetProperty("error").GetString()!;
        Assert.StartsWith(field, error);
        Assert.Contains(IdSyntax.Rule, error);
    }

    [Fact]
    public async Task A_900_KB_agent_id_is_refused_without_echoing_it()
    {
        var response = await PostRaw("/v1/calls", Body(agent: $"\"{new string('a', 900 * 1024 / 2)}\""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 500);
    }

    [Theory]
    [InlineData("/v1/calls/a%2Fb")]
    [InlineData("/v1/calls/a%3Fb/events")]
    [InlineData("/v1/calls/a%20b")]
    public async Task Call_ids_in_routes_follow_the_id_syntax(string path)
    {
        var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(IdSyntax.Rule, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Approval_and_grant_ids_in_routes_follow_the_id_syntax()
    {
        var answer = await _host.Client.PostAsJsonAsync("/v1/approvals/a%2Fb", new { decision = "approve" });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.StartsWith("approval id", (await ServerHost.JsonOf(answer)).GetProperty("error").GetString());
        var revoke = await _host.Client.DeleteAsync("/v1/grants/a%20b");
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.StartsWith("grant id", (await ServerHost.JsonOf(revoke)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{\"command\":null}", "input.command is null")]
    [InlineData("{\"command\":42}", "input.command must be a string, not a number")]
    [InlineData("{\"command\":[\"rm\",\"-rf\"]}", "input.command must be a string, not an array")]
    [InlineData("{}", "input.command is required")]
    [InlineData("null", "input.command is required")]
    [InlineData("\"ls\"", "input must be a JSON object")]
    [InlineData("{\"command\":\"ls\",\"timeout\":\"x\"}", "input.timeout must be a number")]
    public async Task Null_or_mistyped_input_fields_answer_400_naming_the_field_on_submit_and_check(string input, string message)
    {
        foreach (var path in new[] { "/v1/calls", "/v1/check" })
        {
            var response = await PostRaw(path, Body(input: input));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/v1/calls/v1")).StatusCode);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("300.5")]
    [InlineData("1e300")]
    [InlineData("1e400")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    public async Task Waits_that_are_not_finite_or_out_of_range_are_refused(string wait)
    {
        var response = await PostRaw("/v1/calls", Body(extra: $",\"wait\":{wait}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_wait_of_1e_minus_9_seconds_answers_at_once_and_never_waits_forever()
    {
        // Asks for approval (no approver): without the floor the wait rounded to a zero timeout, which waits forever.
        var body = Body(id: "\"tiny-wait\"", input: "{\"command\":\"rm -rf build\"}", extra: ",\"wait\":1e-9", intent: "execute");
        var response = await PostRaw("/v1/calls", body).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("awaiting-approval", (await ServerHost.JsonOf(response)).GetProperty("status").GetString());
    }
}
