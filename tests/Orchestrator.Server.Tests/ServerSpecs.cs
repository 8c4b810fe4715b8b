using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Orchestrator.Server.Tests;

public sealed class ServerSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Submitting_an_allowed_call_answers_201_with_its_state_and_a_resubmission_200_with_the_same_call()
    {
        var body = _host.Bash("ls -la", id: "call-1");
        var first = await _host.Client.PostAsJsonAsync("/v1/calls", body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var state = await ServerHost.JsonOf(first);
        Assert.Equal("call-1", state.GetProperty("callId").GetString());
        Assert.Equal("allow", state.GetProperty("decision").GetString());
        Assert.Equal("s1", state.GetProperty("sessionId").GetString());

        var again = await _host.Client.PostAsJsonAsync("/v1/calls", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("call-1", (await ServerHost.JsonOf(again)).GetProperty("callId").GetString());

        var fetched = await _host.Client.GetAsync("/v1/calls/call-1");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("allow", (await ServerHost.JsonOf(fetched)).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Getting_an_unknown_call_answers_404_with_an_error()
    {
        var response = await _host.Client.GetAsync("/v1/calls/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ServerHost.JsonOf(response)).GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"agentId\":\"a\",\"sessionId\":\"s\",\"tool\":\"Bash\"}")]
    [InlineData("{\"agentId\":\"a\",\"sessionId\":\"s\",\"tool\":\"Bash\",\"cwd\":\"/tmp\",\"intent\":\"later\"}")]
    [InlineData("{\"agentId\":\"a\",\"sessionId\":\"s\",\"tool\":\"Read\",\"cwd\":\"/tmp\",\"input\":{\"file_path\":\"notes.md\"}}")]
    [InlineData("{\"agentId\":\"a\",\"sessionId\":\"s\",\"tool\":\"Write\",\"cwd\":\"/tmp\",\"input\":{\"file_path\":\"\",\"content\":\"x\"}}")]
    public async Task Malformed_or_incomplete_bodies_answer_400_with_an_error(string json)
    {
        var response = await _host.Client.PostAsync("/v1/calls", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ServerHost.JsonOf(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_body_declared_over_the_cap_is_answered_413_from_the_headers_alone_and_the_connection_closed()
    {
        // What a client can rely on: the server refuses on the declared length, before reading (or waiting for) any
        // body byte. Whether a client that sends the body anyway reads that 413 or a reset depends on its timing.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_host.Address.Host, _host.Address.Port);
        socket.ReceiveTimeout = 30_000;
        var stream = socket.GetStream();
        var head = $"POST /v1/calls HTTP/1.1\r\nHost: {_host.Address.Authority}\r\nAuthorization: {_host.Client.DefaultRequestHeaders.Authorization}\r\n" +
                   $"Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        // The server closes the connection after the answer (the declared body is never read): read to its end.
        var response = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 413 Payload Too Large\r\n", response);
        Assert.Contains("\r\nConnection: close\r\n", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("{\"error\":\"request body too large\"}", response);
    }

    [Fact]
    public async Task A_client_that_waits_for_100_continue_gets_413_for_a_body_over_the_cap_without_sending_it()
    {
        var huge = "{\"agentId\":\"a\",\"sessionId\":\"s\",\"tool\":\"Bash\",\"cwd\":\"/tmp\",\"input\":{\"command\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";
        // The client waits for the server's go-ahead as long as the server takes (the default is 1 s, after which it
        // sends the body anyway and, on a loaded machine, may see the connection closed under it: the old flake).
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = _host.Address, Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = _host.Client.DefaultRequestHeaders.Authorization;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/calls") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body too large", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Check_answers_a_verdict_with_its_reason_class_and_records_it_as_a_decide_only_call()
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/check", _host.Bash("curl https://example.com", id: "checked"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var verdict = await ServerHost.JsonOf(response);
        Assert.Equal("deny", verdict.GetProperty("decision").GetString());
        Assert.Equal("rule-deny", verdict.GetProperty("reasonClass").GetString());
        Assert.Equal("checked", verdict.GetProperty("callId").GetString());
        var recorded = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/checked"));
        Assert.Equal("decide-only", recorded.GetProperty("intent").GetString());
        Assert.Equal("deny", recorded.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Health_readiness_and_the_openapi_document_answer_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/readyz")).StatusCode);
        var openapi = await _host.Client.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        Assert.Equal("3.0.3", (await ServerHost.JsonOf(openapi)).GetProperty("openapi").GetString());
    }
}

public sealed class AdmissionSpecs
{
    [Fact]
    public async Task A_flooding_agent_gets_429_with_Retry_After_while_another_agent_is_still_served()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await ServerHost.StartAsync(o => o with { PerAgentCapacity = 2, GlobalCapacity = 4, IngressGate = gate.Task });

        var queued = Enumerable.Range(0, 2).Select(i => host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", agent: "flooder", id: $"f{i}"))).ToList();
        // Wait until both are queued (held by the gate), then one more from the same agent.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (host.Ingress.Queued < 2 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(2, host.Ingress.Queued);
        var rejected = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", agent: "flooder", id: "f-extra"));
        Assert.Equal((HttpStatusCode)429, rejected.StatusCode);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.False(string.IsNullOrEmpty((await ServerHost.JsonOf(rejected)).GetProperty("error").GetString()));

        var other = host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", agent: "polite", session: "s2", id: "p0"));
        gate.SetResult();
        Assert.Equal(HttpStatusCode.Created, (await other).StatusCode);
        foreach (var response in await Task.WhenAll(queued)) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
