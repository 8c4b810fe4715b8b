using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Orchestrator.Core.Access;
using Orchestrator.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Orchestrator.WebConsole.Tests;

/// <summary>
/// The console in Chromium against the real app with tokens: signing in (a wrong token refused), approvals raised by a
/// test agent appearing without a reload and answered from the page (buttons and keys), a stale answer naming who
/// answered first, the call page, grants and tokens; axe on every page and screenshots of each.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ApprovalConsoleSpecs(Chromium chromium) : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(
        o => o with { Approver = null, Policy = o.Policy with { AskRules = ["Bash(echo console:*)"] } },
        [("root", Role.Admin, null), ("op", Role.Operator, null), ("alice", Role.Agent, "alice")]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<ConsolePage> SignedInAsync(string who = "op", int width = 1200)
    {
        var console = await ConsolePage.OpenAsync(chromium.Browser, _host.Address, width);
        await console.SignInAsync(_host.Tokens[who]);
        return console;
    }

    /// <summary>A test agent submits a command the policy asks about; the approval id.</summary>
    private async Task<string> RaiseAsync(string id, string words = "approved")
    {
        using var alice = _host.ClientWith(_host.Tokens["alice"]);
        var response = await alice.PostAsJsonAsync("/v1/calls", _host.Bash($"echo console {words}", agent: "alice", session: $"s-{id}", id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    private static ILocator Card(IPage page, string approvalId) => page.Locator($"[data-approval=\"{approvalId}\"]");

    [ChromiumFact]
    public async Task A_wrong_token_is_refused_and_the_console_stays_signed_out()
    {
        await using var console = await ConsolePage.OpenAsync(chromium.Browser, _host.Address);
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("login");

        await console.Page.GetByLabel("Operator token").FillAsync("not-a-valid-token");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(console.Page.Locator("#login-error")).ToHaveTextAsync("That token is not valid.");
        await Expect(console.Page.Locator("#nav")).ToBeHiddenAsync();
        Assert.Empty(await console.Page.Context.CookiesAsync());
    }

    [ChromiumFact]
    public async Task An_approval_raised_by_an_agent_appears_without_reload_and_approving_it_runs_the_call_to_completion()
    {
        await using var console = await SignedInAsync();
        await Expect(console.Page.Locator("#no-approvals")).ToBeVisibleAsync();
        // "Without reload" is proved by what the page did, not by how fast (a loaded machine makes anything slow): the
        // page loaded before the approval is the one showing it, and no request but the open stream brought it.
        await console.Page.EvaluateAsync("() => { window.loadedBeforeTheApproval = true; }");
        var requests = new List<string>();
        console.Page.Request += (_, request) => { lock (requests) requests.Add(request.Url); };

        var raised = Stopwatch.StartNew();
        var approvalId = await RaiseAsync("live-1");
        var card = Card(console.Page, approvalId);
        await Expect(card).ToBeVisibleAsync();
        raised.Stop();
        await Console.Out.WriteLineAsync($"approval visible {raised.ElapsedMilliseconds} ms after it was raised");
        Assert.True(await console.Page.EvaluateAsync<bool>("() => window.loadedBeforeTheApproval === true"), "the page was reloaded");
        lock (requests)
            Assert.DoesNotContain(requests, url => url.Contains("/v1/approvals", StringComparison.Ordinal)
                && !url.Contains("/v1/approvals/stream", StringComparison.Ordinal)); // the stream may reconnect under load
        await Expect(card).ToContainTextAsync("echo console approved");
        await Expect(card).ToContainTextAsync("alice");
        await Expect(card).ToContainTextAsync("Bash(echo console:*) (commandLine layer, ");
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("approvals");

        await card.GetByLabel("Reason").FillAsync("looked at it");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(card).ToHaveCountAsync(0);
        var settled = console.Page.Locator($"[data-settled=\"{approvalId}\"]");
        await Expect(settled).ToContainTextAsync("approved (once) by op: looked at it");
        await Expect(settled).ToContainTextAsync("completed — allowed-and-ran (exit 0)");
        var call = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/live-1"));
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.Equal("op", call.GetProperty("answer").GetProperty("answeredBy").GetString());
    }

    [ChromiumFact]
    public async Task Keys_move_between_approvals_and_deny_the_selected_one()
    {
        await using var console = await SignedInAsync();
        var first = await RaiseAsync("keys-1", "first");
        var second = await RaiseAsync("keys-2", "second");
        await Expect(Card(console.Page, second)).ToBeVisibleAsync();

        await Card(console.Page, first).FocusAsync();
        await console.Page.Keyboard.PressAsync("j");
        await Expect(Card(console.Page, second)).ToBeFocusedAsync();
        await console.Page.Keyboard.PressAsync("d");

        await Expect(console.Page.Locator($"[data-settled=\"{second}\"]")).ToContainTextAsync("denied (once) by op");
        await Expect(Card(console.Page, first)).ToBeVisibleAsync();
        await Card(console.Page, first).FocusAsync();
        await console.Page.Keyboard.PressAsync("a");
        await Expect(console.Page.Locator($"[data-settled=\"{first}\"]")).ToContainTextAsync("approved (once) by op");
    }

    [ChromiumFact]
    public async Task An_answer_to_an_approval_another_operator_answered_first_shows_who_did()
    {
        await using var console = await SignedInAsync();
        var approvalId = await RaiseAsync("dup-1");
        var card = Card(console.Page, approvalId);
        await Expect(card).ToBeVisibleAsync();
        // The page's live list stalls (as over a dropped connection) while another operator answers.
        await console.Page.EvaluateAsync("() => state.stream.close()");
        using var root = _host.ClientWith(_host.Tokens["root"]);
        Assert.Equal(HttpStatusCode.OK, (await root.PostAsJsonAsync($"/v1/approvals/{approvalId}", new { decision = "deny", reason = "not now" })).StatusCode);

        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(card.Locator($"#answer-error-{approvalId}")).ToContainTextAsync("Already answered by root: denied (once)");
        await console.ScreenshotAsync("approvals-duplicate");
    }

    [ChromiumFact]
    public async Task The_call_page_shows_the_decision_the_answer_the_sandbox_and_the_output()
    {
        await using var console = await SignedInAsync();
        var approvalId = await RaiseAsync("page-1", "page output");
        var card = Card(console.Page, approvalId);
        await card.GetByLabel("Reason").FillAsync("fine");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(console.Page.Locator($"[data-settled=\"{approvalId}\"]")).ToContainTextAsync("completed");

        await console.Page.GotoAsync("/#/calls/page-1");

        var view = console.Page.Locator("#view");
        await Expect(console.Page.Locator("#call-stdout")).ToContainTextAsync("console page output");
        await Expect(view).ToContainTextAsync("approved (once) by op: fine");
        await Expect(view).ToContainTextAsync("Profile digest");
        await Expect(console.Page.Locator("#call-events [data-event]")).Not.ToHaveCountAsync(0);
        await Expect(console.Page.Locator("#call-events")).ToContainTextAsync("Bash(echo console:*)");
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("call");
    }

    [ChromiumFact]
    public async Task A_session_grant_given_from_the_page_is_listed_and_revoked_there()
    {
        await using var console = await SignedInAsync();
        var approvalId = await RaiseAsync("grant-1");
        var card = Card(console.Page, approvalId);
        await card.GetByLabel("Scope").SelectOptionAsync("session");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(console.Page.Locator($"[data-settled=\"{approvalId}\"]")).ToContainTextAsync("approved (session) by op");

        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Grants" }).ClickAsync();
        var row = console.Page.Locator("tr", new() { HasText = "s-grant-1" });
        await Expect(row).ToContainTextAsync("session");
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("grants");
        await row.GetByLabel("Reason").FillAsync("done with it");
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(console.Page.Locator("tr", new() { HasText = "s-grant-1" })).ToHaveCountAsync(0);
        var grants = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/grants"));
        Assert.DoesNotContain(grants.GetProperty("grants").EnumerateArray(), g => g.GetProperty("sessionId").GetString() == "s-grant-1");
    }

    [ChromiumFact]
    public async Task An_admin_issues_a_token_shown_once_and_revokes_it_while_an_operator_sees_no_tokens_page()
    {
        await using (var op = await SignedInAsync("op"))
            await Expect(op.Page.GetByRole(AriaRole.Link, new() { Name = "Tokens" })).ToBeHiddenAsync();
        await using var console = await SignedInAsync("root");
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Tokens" }).ClickAsync();

        await console.Page.GetByLabel("Name").FillAsync("night-shift");
        await console.Page.GetByLabel("Role").SelectOptionAsync("operator");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Issue token" }).ClickAsync();

        await Expect(console.Page.Locator("#issued .secret")).ToBeVisibleAsync();
        var secret = (await console.Page.Locator("#issued .secret").InnerTextAsync()).Trim();
        using (var issued = _host.ClientWith(secret))
            Assert.Equal(HttpStatusCode.OK, (await issued.GetAsync("/v1/approvals")).StatusCode);
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("tokens");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke night-shift" }).ClickAsync();
        await Expect(console.Page.Locator("tr", new() { HasText = "night-shift" })).ToHaveCountAsync(0);
        using var revoked = _host.ClientWith(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/v1/approvals")).StatusCode);
    }

    [ChromiumFact]
    public async Task A_team_members_card_names_its_parent_session_and_a_team_answer_covers_the_lead_session()
    {
        await using var console = await SignedInAsync();
        using var alice = _host.ClientWith(_host.Tokens["alice"]);
        object Call(string id, string session, string? parent, string command, double wait = 0) => new
        {
            id, agentId = "alice", sessionId = session, parentSessionId = parent, tool = "Bash",
            input = new Dictionary<string, string> { ["command"] = command }, cwd = _host.Project, intent = "execute", wait,
        };
        var lead = await alice.PostAsJsonAsync("/v1/calls", Call("team-lead-1", "s-team-lead", null, "echo console lead"));
        var member = await alice.PostAsJsonAsync("/v1/calls", Call("team-sub-1", "s-team-sub", "s-team-lead", "echo console team"));
        Assert.Equal(HttpStatusCode.Accepted, member.StatusCode);
        var leadApproval = (await ServerHost.JsonOf(lead)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
        var memberApproval = (await ServerHost.JsonOf(member)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;

        var card = Card(console.Page, memberApproval);
        await Expect(card).ToContainTextAsync("Parent session");
        await Expect(card).ToContainTextAsync("s-team-lead");
        await Expect(Card(console.Page, leadApproval)).Not.ToContainTextAsync("Parent session");
        await Expect(card.GetByLabel("Scope").Locator("option")).ToHaveTextAsync(["once", "session", "team", "always"]);
        await console.AssertAccessibleAsync();

        await card.GetByLabel("Scope").SelectOptionAsync("team");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(console.Page.Locator($"[data-settled=\"{memberApproval}\"]")).ToContainTextAsync("approved (team) by op");
        var again = await ServerHost.JsonOf(await alice.PostAsJsonAsync("/v1/calls", Call("team-lead-2", "s-team-lead", null, "echo console team", wait: 30)));
        Assert.Equal(("completed", "allowed-and-ran"), (again.GetProperty("status").GetString(), again.GetProperty("outcome").GetString()));
    }

    [ChromiumFact]
    public async Task The_page_orders_approvals_as_the_server_does_to_the_100_ns_so_one_pushed_out_of_a_full_list_is_not_taken_as_answered()
    {
        await using var console = await SignedInAsync();
        const string Earlier = "2026-12-05T02:08:12.2641921+00:00", Later = "2026-12-05T02:08:12.2641925+00:00";
        async Task<bool> StandsAfter(string deadline, string id, string lastDeadline, string lastId) =>
            await console.Page.EvaluateAsync<bool>($"() => standsAfter({{ deadline: '{deadline}', approvalId: '{id}' }}, {{ deadline: '{lastDeadline}', approvalId: '{lastId}' }})");

        // Deadlines in one millisecond: the later stands after whatever the ids (the ids decide only a tie).
        Assert.True(await StandsAfter(Later, "a", Earlier, "b"));
        Assert.False(await StandsAfter(Earlier, "b", Later, "a"));
        Assert.True(await StandsAfter(Earlier, "b", Earlier, "a"));
        Assert.False(await StandsAfter(Earlier, "a", Earlier, "a"));
        // The server's JSON trims trailing zeros (.26 is .2600000), and a whole second has no fraction at all.
        Assert.False(await StandsAfter("2026-12-05T02:08:12.26+00:00", "z", "2026-12-05T02:08:12.2600001+00:00", "a"));
        Assert.True(await StandsAfter("2026-12-05T02:08:13+00:00", "a", "2026-12-05T02:08:12.9999999+00:00", "z"));
        // One instant written with two offsets is a tie.
        Assert.True(await StandsAfter("2026-12-05T03:08:12.1+01:00", "b", "2026-12-05T02:08:12.1+00:00", "a"));
    }

    [ChromiumFact]
    public async Task At_a_phones_width_an_approval_is_answered_without_sideways_scrolling()
    {
        await using var console = await SignedInAsync(width: 390);
        var approvalId = await RaiseAsync("phone-1");
        var card = Card(console.Page, approvalId);
        await Expect(card).ToBeVisibleAsync();

        Assert.True(await console.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("approvals-phone");
        await card.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        await Expect(console.Page.Locator($"[data-settled=\"{approvalId}\"]")).ToContainTextAsync("denied (once) by op");
    }
}
