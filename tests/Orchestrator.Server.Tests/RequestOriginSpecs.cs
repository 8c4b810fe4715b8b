using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Orchestrator.Server.Tests;

/// <summary>A web page cannot drive the API: Host (DNS rebinding), Origin, Content-Type on writes, no CORS.</summary>
public sealed class RequestOriginSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with { AllowedHosts = ["orchestrator.internal"] });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private int Port => _host.Address.Port;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage> shape, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        shape(request);
        return await _host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("attacker.example:{port}")]
    [InlineData("attacker.example")]
    [InlineData("127.0.0.1.nip.io:{port}")]
    [InlineData("localhost:1")]
    [InlineData("localhost")]
    [InlineData("127.0.0.2:{port}")]
    [InlineData("localhost.:{port}")]
    public async Task A_host_name_that_is_not_this_server_is_421_even_with_the_right_credentials(string host)
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/approvals", r => r.Headers.Host = host.Replace("{port}", Port.ToString()));

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.DoesNotContain("approvals\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("orchestrator.internal:{port}")]
    public async Task Loopback_names_and_configured_hosts_with_the_servers_port_are_served(string host)
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/approvals", r => r.Headers.Host = host.Replace("{port}", Port.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_cross_origin_text_plain_post_creates_no_call()
    {
        var body = $$"""{"id":"from-a-page","agentId":"a","sessionId":"s","tool":"Bash","input":{"command":"touch pwned"},"cwd":"{{_host.Project}}"}""";

        var response = await SendAsync(HttpMethod.Post, "/v1/calls", r => r.Headers.Add("Origin", "http://attacker.example"),
            new StringContent(body, Encoding.UTF8, "text/plain"));
        var sameOriginPlain = await SendAsync(HttpMethod.Post, "/v1/calls", _ => { }, new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, sameOriginPlain.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("/v1/calls/from-a-page")).StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task Writes_need_application_json(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"decision":"approve"}"""));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await SendAsync(HttpMethod.Post, "/v1/approvals/x", _ => { }, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("http://attacker.example", null)]
    [InlineData("null", null)]
    [InlineData("http://localhost:1", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    public async Task A_foreign_origin_is_403_on_reads_and_writes(string? origin, string? fetchSite)
    {
        void Shape(HttpRequestMessage r)
        {
            if (origin is not null) r.Headers.Add("Origin", origin);
            if (fetchSite is not null) r.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/v1/approvals", Shape)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/v1/calls", Shape, JsonContent.Create(_host.Bash("ls")))).StatusCode);
    }

    [Fact]
    public async Task The_servers_own_origin_is_served_and_no_cors_preflight_is_granted()
    {
        var own = await SendAsync(HttpMethod.Get, "/v1/approvals", r => r.Headers.Add("Origin", $"http://127.0.0.1:{Port}"));
        var preflight = await SendAsync(HttpMethod.Options, "/v1/calls", r =>
        {
            r.Headers.Add("Origin", "http://attacker.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
        });

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(HttpStatusCode.OK, preflight.StatusCode);
    }
}
