using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Sandbox.Tools;
using Orchestrator.Sandbox.Tools.Web;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>WebFetch against a real HTTP server on this machine (no internet needed).</summary>
public sealed class WebFetchToolTests : IDisposable
{
    private readonly LocalWebServer _server = new();
    private readonly List<FileToolHarness> _harnesses = [];

    public void Dispose()
    {
        _server.Dispose();
        foreach (var h in _harnesses) h.Dispose();
    }

    /// <summary>One fetch through the shared harness, under a policy of its own rules.</summary>
    private Task<ToolOutcome> FetchAsync(string url, NetworkAccess network, string[]? allow = null, string[]? deny = null, ToolLimits? limits = null)
    {
        var h = new FileToolHarness(deny: deny, allow: allow);
        _harnesses.Add(h);
        if (limits is not null) h.Limits = limits;
        return h.RunAsync(FileToolHarness.Call(ToolNames.WebFetch, ("url", url), ("prompt", "summarise")), network: network);
    }

    [Fact]
    public async Task An_html_page_allowed_by_a_domain_rule_comes_back_as_text_and_is_recorded()
    {
        const string html = "<html><head><title>T</title><style>p{}</style></head><body><h1>Hello</h1><script>alert(1)</script>" +
            "<p>A &amp; B</p><ul><li>one</li><li>two</li></ul><!-- hidden --></body></html>";
        _server.Text("/page", "text/html; charset=utf-8", html);

        var outcome = await FetchAsync(_server.Url("localhost", "/page?token=abc"), NetworkAccess.Off, allow: ["WebFetch(domain:localhost)"]);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("Hello\n\nA & B\n\n- one\n- two", outcome.Output);
        var record = outcome.Record!;
        Assert.Equal(_server.Url("localhost", "/page") + "?…", record.Target);
        Assert.Equal("200", record.Details!["status"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(html).ToString(), record.Details["bytes"]);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(html))), record.Digest);
        Assert.DoesNotContain("abc", record.Details["final-url"]);
    }

    [Fact]
    public async Task With_the_network_off_a_host_without_an_allow_rule_is_refused_and_nothing_is_requested()
    {
        _server.Text("/x", "text/plain", "hi");

        var outcome = await FetchAsync(_server.Url("localhost", "/x"), NetworkAccess.Off);

        Assert.False(outcome.Succeeded);
        Assert.Contains("the network is off", outcome.Error);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_redirect_is_followed_and_each_hop_is_checked_against_the_policy()
    {
        _server.Text("/final", "text/plain", "arrived");
        _server.Redirect("/start", "/middle");
        _server.Redirect("/middle", _server.Url("localhost", "/final"), 301);
        _server.Redirect("/to-denied", _server.Url("127.0.0.1", "/final"));

        var followed = await FetchAsync(_server.Url("localhost", "/start"), NetworkAccess.On, allow: ["WebFetch(domain:localhost)"]);
        var denied = await FetchAsync(_server.Url("localhost", "/to-denied"), NetworkAccess.On,
            allow: ["WebFetch(domain:localhost)"], deny: ["WebFetch(domain:127.0.0.1)"]);

        Assert.True(followed.Succeeded, followed.Error);
        Assert.Equal("arrived", followed.Output);
        Assert.Equal(_server.Url("localhost", "/final"), followed.Record!.Details!["final-url"]);
        Assert.Equal("2", followed.Record.Details["redirects"]);
        Assert.False(denied.Succeeded);
        Assert.Contains("redirected to http://127.0.0.1", denied.Error);
        Assert.Contains("denied by WebFetch(domain:127.0.0.1)", denied.Error);
    }

    [Fact]
    public async Task In_ask_mode_only_the_approved_host_is_fetched_and_a_redirect_elsewhere_is_refused()
    {
        _server.Text("/final", "text/plain", "arrived");
        _server.Redirect("/away", _server.Url("localhost", "/final"));

        // The approval covered 127.0.0.1 (the call's own host); an allow rule is still needed to reach this machine.
        var away = await FetchAsync(_server.Url("127.0.0.1", "/away"), NetworkAccess.Ask, allow: ["WebFetch(domain:127.0.0.1)"]);

        Assert.False(away.Succeeded);
        Assert.Contains("localhost is not the approved host 127.0.0.1", away.Error);
    }

    [Fact]
    public async Task An_address_on_this_machine_is_refused_without_an_allow_rule_naming_it_even_with_the_network_on()
    {
        _server.Text("/admin", "text/plain", "secret");

        var outcome = await FetchAsync(_server.Url("localhost", "/admin"), NetworkAccess.On);

        Assert.False(outcome.Succeeded);
        Assert.Contains("an address on this machine or its private network", outcome.Error);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task Redirect_loops_large_pages_binary_bodies_and_error_statuses_end_clearly()
    {
        _server.Redirect("/loop", "/loop");
        _server.Text("/big", "text/plain", new string('x', 10_000));
        _server.Bytes("/png", "image/png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0]);
        _server.Text("/gone", "text/plain", "nope", status: 404);
        var allow = new[] { "WebFetch(domain:localhost)" };

        var loop = await FetchAsync(_server.Url("localhost", "/loop"), NetworkAccess.On, allow);
        var big = await FetchAsync(_server.Url("localhost", "/big"), NetworkAccess.On, allow, limits: ToolLimits.Default with { MaxFetchBytes = 1000 });
        var png = await FetchAsync(_server.Url("localhost", "/png"), NetworkAccess.On, allow);
        var gone = await FetchAsync(_server.Url("localhost", "/gone"), NetworkAccess.On, allow);

        Assert.Contains($"more than {WebFetchTool.MaxRedirects} redirects", loop.Error);
        Assert.True(big.Succeeded, big.Error);
        Assert.StartsWith(new string('x', 1000) + "\n(The page is longer than 1,000 bytes", big.Output);
        Assert.Equal("true", big.Record!.Details!["truncated"]);
        Assert.Contains("is image/png, not text", png.Error);
        Assert.Contains("answered 404", gone.Error);
        Assert.Equal("404", gone.Record!.Details!["status"]);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/x")]
    [InlineData("not a url")]
    [InlineData("")]
    public async Task A_url_that_is_not_http_is_refused_before_anything_runs(string url)
    {
        var outcome = await FetchAsync(url, NetworkAccess.On);

        Assert.StartsWith("invalid: ", outcome.Error);
    }
}
