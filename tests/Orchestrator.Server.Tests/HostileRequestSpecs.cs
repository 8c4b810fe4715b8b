using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Orchestrator.Core.Access;

namespace Orchestrator.Server.Tests;

/// <summary>
/// A property over hostile request bodies and queries on every route that reads one (CsCheck): valid requests with one
/// value replaced by another type, a huge or control-laden string or deep nesting, a field removed or added, the text
/// cut short, bytes that are not UTF-8, the wrong media type. Whatever arrives, the server answers below 500 with a
/// JSON <c>{"error": …}</c> whose message is cut at 2,000 characters for every refusal, and afterwards still records a valid call.
/// </summary>
public sealed class HostileRequestSpecs : IAsyncLifetime
{
    private const string Admin = "root", Agent = "alice";
    private ServerHost _host = null!;
    private HttpClient _admin = null!, _agent = null!;
    private string _approvalId = null!;

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(git push)"] } },
            [(Admin, Role.Admin, null), (Agent, Role.Agent, Agent)]);
        _admin = _host.ClientWith(_host.Tokens[Admin]);
        _agent = _host.ClientWith(_host.Tokens[Agent]);
        var asked = await _agent.PostAsJsonAsync("/v1/calls", _host.Bash("git push", agent: Agent, session: "s-asked", id: "asked-1", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_approvalId is null && DateTime.UtcNow < deadline)
        {
            var listed = (await ServerHost.JsonOf(await _admin.GetAsync("/v1/approvals"))).GetProperty("approvals");
            if (listed.GetArrayLength() == 1) _approvalId = listed[0].GetProperty("approvalId").GetString()!;
            else await poll.WaitForNextTickAsync();
        }
        Assert.True(_approvalId is not null, "the asked call's approval was never listed");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _agent.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>The routes that read a body, each with a valid body to spoil and who sends it.</summary>
    private (string Path, bool AsAgent, Func<int, JsonObject> Valid)[] Routes() =>
    [
        ("/v1/calls", true, n => Call(n, "decide-only")),
        ("/v1/check", true, n => Call(n, null)),
        ($"/v1/approvals/{_approvalId}", false, _ => new JsonObject { ["decision"] = "deny", ["scope"] = "once", ["reason"] = "hostile" }),
        ("/v1/tokens", false, n => new JsonObject { ["name"] = $"t-{n}", ["role"] = "agent", ["agentId"] = $"a-{n}", ["subAgents"] = new JsonArray("b") }),
        ("/v1/replay", false, _ => new JsonObject
        {
            ["policies"] = new JsonArray(new JsonObject { ["name"] = "p.json", ["content"] = """{"permissions":{"deny":["Bash(ls)"]}}""" }),
            ["replace"] = false, ["agent"] = Agent, ["from"] = "2026-01-01T00:00:00Z",
        }),
        ("/v1/session", false, _ => new JsonObject { ["token"] = "not-a-token" }),
    ];

    private JsonObject Call(int n, string? intent)
    {
        var call = new JsonObject
        {
            ["id"] = $"h-{n}", ["agentId"] = Agent, ["sessionId"] = $"s-{n % 7}", ["tool"] = "Bash",
            ["input"] = new JsonObject { ["command"] = "ls -la" }, ["cwd"] = _host.Project,
        };
        if (intent is not null) call["intent"] = intent;
        return call;
    }

    private static readonly string[] HostileTexts =
    [
        "", " ", "\u0000", "a\u0000b", "\u202eevil", "\ud800", "../../../etc/passwd", "/", "-1", "1e999", "NaN", "true",
        "{\"nested\":1}", "Bash(*)", "${HOME}", "$(id)", "`id`", new string('x', 100_000), new string('\u00e9', 20_000),
    ];

    private static readonly Gen<JsonNode?> HostileValue = Gen.OneOf(
        Gen.Const(() => (JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0.5)),
        Gen.Int[0, HostileTexts.Length - 1].Select(i => (JsonNode?)JsonValue.Create(HostileTexts[i])),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Int[1, 200].Select(depth => (JsonNode?)Nested(depth)),
        Gen.Int[0, 3000].Select(count => (JsonNode?)new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create(i))])),
        Gen.Const(() => (JsonNode?)new JsonObject()));

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 1; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["k"] = node };
        return node;
    }

    /// <summary>One way to spoil a valid body (its text, as bytes, and the media type it is sent as).</summary>
    private abstract record Spoil
    {
        public abstract (byte[] Body, string MediaType) Apply(JsonObject valid);
    }

    private sealed record ReplaceValue(int Field, JsonNode? Value) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid)
        {
            var name = valid.ElementAt(Field % valid.Count).Key;
            valid[name] = Value?.DeepClone();
            return (Encoding.UTF8.GetBytes(valid.ToJsonString()), "application/json");
        }
    }

    private sealed record RemoveField(int Field) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid)
        {
            valid.Remove(valid.ElementAt(Field % valid.Count).Key);
            return (Encoding.UTF8.GetBytes(valid.ToJsonString()), "application/json");
        }
    }

    private sealed record AddField(string Name, JsonNode? Value) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid)
        {
            var text = valid.ToJsonString();
            // Appended as text so a name already there arrives twice, as a hostile client would send it.
            var added = $",{JsonSerializer.Serialize(Name)}:{Value?.ToJsonString() ?? "null"}}}";
            return (Encoding.UTF8.GetBytes(text[..^1] + added), "application/json");
        }
    }

    private sealed record CutShort(int Percent) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid)
        {
            var bytes = Encoding.UTF8.GetBytes(valid.ToJsonString());
            return (bytes[..(bytes.Length * Percent / 100)], "application/json");
        }
    }

    private sealed record NotUtf8(byte[] Noise) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid)
        {
            var text = Encoding.UTF8.GetBytes(valid.ToJsonString());
            var at = text.Length / 2;
            return ([.. text[..at], 0xC3, 0x28, 0xFF, .. Noise, .. text[at..]], "application/json");
        }
    }

    private sealed record WholeBody(JsonNode? Value, string MediaType) : Spoil
    {
        public override (byte[], string) Apply(JsonObject valid) =>
            (Encoding.UTF8.GetBytes(Value?.ToJsonString() ?? "null"), MediaType);
    }

    private static readonly Gen<Spoil> Spoils = Gen.OneOf<Spoil>(
        Gen.Select(Gen.Int[0, 20], HostileValue, (f, v) => (Spoil)new ReplaceValue(f, v)),
        Gen.Int[0, 20].Select(f => (Spoil)new RemoveField(f)),
        Gen.Select(Gen.OneOf(Gen.String[0, 20], Gen.Const("id"), Gen.Const("agentId"), Gen.Const("answeredBy"), Gen.Const("__proto__")),
            HostileValue, (n, v) => (Spoil)new AddField(n, v)),
        Gen.Int[0, 99].Select(p => (Spoil)new CutShort(p)),
        Gen.Byte.Array[0, 8].Select(noise => (Spoil)new NotUtf8(noise)),
        Gen.Select(HostileValue, Gen.OneOf(Gen.Const("application/json"), Gen.Const("text/plain"), Gen.Const("application/x-www-form-urlencoded")),
            (v, m) => (Spoil)new WholeBody(v, m)));

    [Fact]
    public async Task Every_spoiled_body_on_every_route_is_refused_below_500_with_a_bounded_json_error_and_the_server_stays_up()
    {
        var routes = Routes();
        var n = 0;
        await Gen.Select(Gen.Int[0, routes.Length - 1], Spoils).SampleAsync(async (route, spoil) =>
        {
            var (path, asAgent, valid) = routes[route];
            var (body, mediaType) = spoil.Apply(valid(Interlocked.Increment(ref n)));
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            using var response = await (asAgent ? _agent : _admin).PostAsync(path, content);
            await AssertAnswered(response, $"POST {path} with {spoil}");
        }, iter: 400, threads: 1);

        await AssertStillRecording();
    }

    [Theory]
    [InlineData("/v1/history")]
    [InlineData("/v1/approvals")]
    public async Task Every_hostile_listing_query_is_refused_below_500_with_a_bounded_json_error(string route)
    {
        var names = route == "/v1/history" ? Orchestrator.Core.History.Listing.HistoryQuery.Names : Orchestrator.Core.Approval.ApprovalListQuery.Names;
        // Texts that fit a request line: a longer one is refused by Kestrel itself (414, below).
        var value = Gen.OneOf(Gen.String[0, 40], Gen.Int[0, HostileTexts.Length - 1].Select(i => HostileTexts[i]).Where(t => t.Length < 1_000), Gen.Long.Select(l => l.ToString()),
            Gen.Const("2026-13-45T99:00:00Z"), Gen.Const("9999999999999999999999"), Gen.Const("open"), Gen.Const("allow"));
        await Gen.Select(Gen.Int[0, names.Length - 1], value, Gen.Int[0, names.Length - 1], value).SampleAsync(async (a, va, b, vb) =>
        {
            var query = $"{names[a]}={Uri.EscapeDataString(va)}&{names[b]}={Uri.EscapeDataString(vb)}";
            using var response = await _admin.GetAsync($"{route}?{query}");
            await AssertAnswered(response, $"GET {route}?{query}");
        }, iter: 300, threads: 1);

        using var tooLong = await _admin.GetAsync($"{route}?agent={new string('x', 100_000)}");
        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        await AssertStillRecording();
    }

    [Fact]
    public async Task A_refused_value_of_100_000_characters_comes_back_cut_in_the_error()
    {
        using var response = await _admin.PostAsJsonAsync($"/v1/approvals/{_approvalId}", new { decision = "approve", scope = new string('x', 100_000) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ServerHost.JsonOf(response)).GetProperty("error").GetString()!;
        Assert.StartsWith("scope must be", error);
        Assert.Matches(@"… \(cut: the message was 100,0\d\d characters\)$", error);
        Assert.True(error.Length < 2_100, error);
    }

    /// <summary>Lone surrogates escaped in the JSON text (a JSON writer would have replaced them, so the property cannot send them).</summary>
    [Theory]
    [InlineData("/v1/calls", true, "{\"id\":\"u1\",\"agentId\":\"alice\",\"sessionId\":\"s\",\"tool\":\"Bash\",\"input\":{\"command\":\"ls \\ud800\"},\"cwd\":\"CWD\"}")]
    [InlineData("/v1/check", true, "{\"agentId\":\"alice\",\"sessionId\":\"s\",\"tool\":\"Bash\",\"input\":{\"\\udc00\":\"x\",\"command\":\"ls\"},\"cwd\":\"CWD\"}")]
    [InlineData("/v1/calls", true, "{\"id\":\"u2\",\"agentId\":\"alice\",\"sessionId\":\"s\\ud800\",\"tool\":\"Bash\",\"input\":{\"command\":\"ls\"},\"cwd\":\"CWD\"}")]
    [InlineData("/v1/calls", true, "{\"id\":\"u3\",\"agentId\":\"alice\",\"sessionId\":\"s\",\"tool\":\"Bash\",\"input\":{\"command\":\"ls\"},\"cwd\":\"CWD/\\udfff\"}")]
    [InlineData("/v1/tokens", false, "{\"name\":\"t\\ud800\",\"role\":\"operator\"}")]
    [InlineData("/v1/replay", false, "{\"policies\":[{\"name\":\"p.json\",\"content\":\"{\\\"permissions\\\":{\\\"deny\\\":[\\\"Bash(\\ud800)\\\"]}}\"}]}")]
    public async Task A_lone_surrogate_escaped_anywhere_in_a_body_is_refused_below_500(string path, bool asAgent, string body)
    {
        using var content = new StringContent(body.Replace("CWD", _host.Project), Encoding.UTF8, "application/json");
        using var response = await (asAgent ? _agent : _admin).PostAsync(path, content);
        await AssertAnswered(response, $"POST {path} with {body}");
    }

    private static async Task AssertAnswered(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{what} answered {status}: {Cut(await response.Content.ReadAsStringAsync())}");
        if (status < 400) return;
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error), $"{what}: an empty error");
        // At most 2,000 characters of message, and the note saying it was cut.
        Assert.True(error!.Length <= 2_000 + 60, $"{what} answered a {error.Length}-character error: {Cut(error)}");
    }

    private async Task AssertStillRecording()
    {
        var response = await _agent.PostAsJsonAsync("/v1/calls", _host.Bash("ls", agent: Agent, session: "s-after", id: $"after-{Guid.NewGuid():n}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("allow", (await ServerHost.JsonOf(response)).GetProperty("decision").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/readyz")).StatusCode);
    }

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
