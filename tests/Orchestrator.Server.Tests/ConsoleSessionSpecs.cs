using System.Net;
using System.Net.Http.Json;
using System.Text;
using Orchestrator.Core.Access;
using Orchestrator.Server.Security;

namespace Orchestrator.Server.Tests;

/// <summary>
/// The web console's session over the real app with tokens: the cookie login, its flags, the anti-CSRF rules for
/// cookie-authenticated writes (any other page in the browser is hostile), the page's headers, and the approval stream.
/// </summary>
public sealed class ConsoleSessionSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(
        o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(git push)"] } },
        [("root", Role.Admin, null), ("op", Role.Operator, null), ("alice", Role.Agent, "alice")]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Browser() =>
        new(new HttpClientHandler { UseCookies = false }) { BaseAddress = _host.Address, Timeout = TimeSpan.FromSeconds(60) };

    private async Task<(string Cookie, string Csrf)> SignInAsync(string token)
    {
        using var browser = Browser();
        var response = await browser.PostAsJsonAsync("/v1/session", new { token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var csrf = (await ServerHost.JsonOf(response)).GetProperty("csrf").GetString()!;
        return (cookie.Split(';')[0], csrf);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string cookie, string? csrf = null, string? origin = "same", object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add(ConsoleCookie.CsrfHeader, csrf);
        if (origin is not null) request.Headers.Add("Origin", origin == "same" ? _host.Address.GetLeftPart(UriPartial.Authority) : origin);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task An_operator_token_signs_in_with_a_strict_http_only_cookie_that_then_authenticates_reads()
    {
        using var browser = Browser();
        var response = await browser.PostAsJsonAsync("/v1/session", new { token = _host.Tokens["op"] });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie")).ToLowerInvariant();
        Assert.StartsWith($"{ConsoleCookie.Name}=", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.DoesNotContain("secure", setCookie);
        var who = await ServerHost.JsonOf(response);
        Assert.Equal("op", who.GetProperty("name").GetString());
        Assert.Equal("operator", who.GetProperty("role").GetString());

        var (cookie, csrf) = await SignInAsync(_host.Tokens["op"]);
        var approvals = await browser.SendAsync(Request(HttpMethod.Get, "/v1/approvals", cookie, origin: null));
        Assert.Equal(HttpStatusCode.OK, approvals.StatusCode);
        var session = await ServerHost.JsonOf(await browser.SendAsync(Request(HttpMethod.Get, "/v1/session", cookie, origin: null)));
        Assert.Equal(csrf, session.GetProperty("csrf").GetString());
    }

    [Theory]
    [InlineData("not-a-token", HttpStatusCode.Unauthorized)]
    [InlineData("alice", HttpStatusCode.Forbidden)]
    public async Task A_wrong_or_agent_token_is_refused_and_sets_no_cookie(string token, HttpStatusCode expected)
    {
        using var browser = Browser();

        var response = await browser.PostAsJsonAsync("/v1/session", new { token = _host.Tokens.GetValueOrDefault(token, token) });

        Assert.Equal(expected, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData(false, true, "X-Csrf-Token")]
    [InlineData(true, false, "Origin")]
    public async Task A_cookie_authenticated_write_without_the_csrf_header_or_origin_is_refused_and_answers_nothing(bool withCsrf, bool withOrigin, string named)
    {
        var approvalId = await RaiseAskAsync("csrf-1");
        var (cookie, csrf) = await SignInAsync(_host.Tokens["op"]);
        using var browser = Browser();

        var response = await browser.SendAsync(Request(HttpMethod.Post, $"/v1/approvals/{approvalId}", cookie,
            withCsrf ? csrf : null, withOrigin ? "same" : null, new { decision = "approve" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(named, (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
        Assert.Single((await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/approvals"))).GetProperty("approvals").EnumerateArray());
    }

    [Fact]
    public async Task Another_sessions_csrf_value_or_another_origin_is_refused()
    {
        var (cookie, _) = await SignInAsync(_host.Tokens["op"]);
        var (_, rootCsrf) = await SignInAsync(_host.Tokens["root"]);
        using var browser = Browser();

        var foreignCsrf = await browser.SendAsync(Request(HttpMethod.Delete, "/v1/grants/g-1", cookie, rootCsrf));
        var foreignOrigin = await browser.SendAsync(Request(HttpMethod.Delete, "/v1/grants/g-1", cookie,
            (await ServerHost.JsonOf(await browser.SendAsync(Request(HttpMethod.Get, "/v1/session", cookie, origin: null)))).GetProperty("csrf").GetString(),
            "http://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, foreignCsrf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignOrigin.StatusCode);
    }

    [Fact]
    public async Task A_cookie_write_with_its_origin_and_csrf_value_is_answered_as_the_signed_in_operator()
    {
        var approvalId = await RaiseAskAsync("csrf-ok");
        var (cookie, csrf) = await SignInAsync(_host.Tokens["op"]);
        using var browser = Browser();

        var response = await browser.SendAsync(Request(HttpMethod.Post, $"/v1/approvals/{approvalId}", cookie, csrf, body: new { decision = "deny", reason = "from the console" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("op", (await ServerHost.JsonOf(response)).GetProperty("answer").GetProperty("answeredBy").GetString());
    }

    [Fact]
    public async Task A_revoked_token_no_longer_authenticates_its_cookie()
    {
        var (cookie, _) = await SignInAsync(_host.Tokens["op"]);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.DeleteAsync("/v1/tokens/op")).StatusCode);
        using var browser = Browser();

        var response = await browser.SendAsync(Request(HttpMethod.Get, "/v1/approvals", cookie, origin: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signing_out_expires_the_cookie()
    {
        using var browser = Browser();

        var response = await browser.DeleteAsync("/v1/session");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(response.Headers.GetValues("Set-Cookie")));
    }

    [Fact]
    public async Task The_console_page_forbids_other_origins_and_loads_only_its_own_files()
    {
        using var browser = Browser();

        var page = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("http", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/console/app.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/console/..%2Fopenapi.json")).StatusCode);
    }

    [Fact]
    public async Task The_approval_stream_sends_an_approval_raised_after_it_opened()
    {
        var (cookie, _) = await SignInAsync(_host.Tokens["op"]);
        using var browser = Browser();
        using var response = await browser.SendAsync(Request(HttpMethod.Get, "/v1/approvals/stream", cookie, origin: null), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Contains("\"approvals\":[]", await NextDataAsync(reader, timeout.Token));
        var approvalId = await RaiseAskAsync("streamed-1");

        Assert.Contains(approvalId, await NextDataAsync(reader, timeout.Token));
    }

    private static async Task<string> NextDataAsync(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return line;
        throw new EndOfStreamException("the approval stream ended");
    }

    private async Task<string> RaiseAskAsync(string id)
    {
        using var alice = _host.ClientWith(_host.Tokens["alice"]);
        var response = await alice.PostAsJsonAsync("/v1/calls", _host.Bash("git push", agent: "alice", session: $"s-{id}", id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }
}
