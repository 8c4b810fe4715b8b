using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Orchestrator.Core.Access;
using Orchestrator.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace Orchestrator.WebConsole.Tests;

/// <summary>
/// The calls, replay and charts pages in Chromium over the real app (the local user, signed in with the server secret)
/// and seven recorded calls: allowed, denied, a Read, and two approvals answered by the operator. Filtering and paging
/// the calls table, opening a call from it, a what-if replay's diff grouped by rule, the shadow's summary, the charts'
/// counts against the calls made, and a phone's width.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class HistoryConsoleSpecs(Chromium chromium) : IAsyncLifetime
{
    private const string PostHook = "echo '{\"hookSpecificOutput\": {\"hookEventName\": \"PostToolUse\", \"additionalContext\": \"the output was read\"}}'";
    private ServerHost _host = null!;
    private readonly Dictionary<string, string> _decisions = [];
    private readonly Dictionary<string, double> _latencies = [];

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o =>
        {
            var candidate = Path.Combine(Path.GetDirectoryName(o.Policy.ProjectDirectory)!, "shadow.json");
            File.WriteAllText(candidate, "{\"permissions\":{\"deny\":[\"Bash(echo two)\"]}}");
            var settings = Directory.CreateDirectory(Path.Combine(o.Policy.ProjectDirectory, ".orchestrator")).FullName;
            File.WriteAllText(Path.Combine(settings, "settings.json"), JsonSerializer.Serialize(new
            {
                hooks = new
                {
                    PostToolUse = new[] { new { matcher = "Bash", hooks = new[] { new { type = "command", command = PostHook } } } },
                },
            }));
            return o with
            {
                Approver = null, ShadowPolicy = candidate, ShadowInterval = TimeSpan.FromMilliseconds(20),
                Policy = o.Policy with { AllowRules = ["Bash(echo:*)"], AskRules = ["Bash(echo ask:*)"] },
            };
        });
        var executed = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("echo one", agent: "alice", session: "s-alice", id: "h-1", intent: "execute", wait: 60));
        Assert.Equal("completed", (await ServerHost.JsonOf(executed)).GetProperty("status").GetString());
        _decisions["h-1"] = "allow";
        foreach (var (agent, command, id) in new[] { ("bob", "echo two", "h-2"), ("bob", "curl example.com", "h-3"), ("alice", "echo three", "h-4") })
            _decisions[id] = await DecisionOfAsync(await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, agent: agent, session: $"s-{agent}", id: id)));
        _decisions["h-5"] = await DecisionOfAsync(await _host.Client.PostAsJsonAsync("/v1/calls", new
        {
            id = "h-5", agentId = "carol", sessionId = "s-carol", tool = "Read", cwd = _host.Project, intent = "decide-only",
            input = new Dictionary<string, string> { ["file_path"] = Path.Combine(_host.Project, "notes.txt") },
        }));
        foreach (var id in new[] { "h-6", "h-7" })
        {
            var raised = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash($"echo ask {id}", agent: "carol", session: "s-carol", id: id, intent: "execute"));
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
            var pending = (await ServerHost.JsonOf(raised)).GetProperty("pendingApproval");
            var answered = await _host.Client.PostAsJsonAsync($"/v1/approvals/{pending.GetProperty("approvalId").GetString()}", new { decision = "deny", reason = "not today" });
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            var answeredAt = (await ServerHost.JsonOf(answered)).GetProperty("answer").GetProperty("answeredAt").GetDateTimeOffset();
            _latencies[id] = (answeredAt - pending.GetProperty("requestedAt").GetDateTimeOffset()).TotalSeconds;
            _decisions[id] = "ask";
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<string> DecisionOfAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await ServerHost.JsonOf(response)).GetProperty("decision").GetString()!;
    }

    private async Task<ConsolePage> SignedInAsync(int width = 1200)
    {
        var console = await ConsolePage.OpenAsync(chromium.Browser, _host.Address, width);
        await console.SignInAsync(ServerSecret.Read(_host.DataDirectory)!);
        return console;
    }

    /// <summary>Returns once the shadow has judged the calls (it follows the journal on its own timer).</summary>
    private async Task ShadowDisagreedAsync()
    {
        JsonElement shadow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            shadow = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/shadow"));
            Assert.True(DateTime.UtcNow < deadline, $"the shadow recorded no disagreement: {shadow}");
        }
        while (shadow.GetProperty("disagreements").GetInt64() == 0);
    }

    private static ILocator Rows(IPage page) => page.Locator("#history tbody tr");

    private static async Task FilterAsync(IPage page, string label, string value)
    {
        var input = page.GetByLabel(label, new() { Exact = true });
        if (label == "Decision") await input.SelectOptionAsync(value);
        else await input.FillAsync(value);
        await CallsPageAfterAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync());
    }

    /// <summary>
    /// Waits until the calls page shown before <paramref name="action"/> has been replaced: a filter or a page link
    /// changes the address, and the page is drawn again on the browser's next turn. Without this wait the next step
    /// can read or fill the page about to go.
    /// </summary>
    private static async Task CallsPageAfterAsync(IPage page, Func<Task> action)
    {
        var shown = await page.Locator("#history").ElementHandleAsync();
        await action();
        await page.WaitForFunctionAsync("shown => !shown.isConnected", shown);
    }

    [ChromiumFact]
    public async Task The_calls_table_filters_by_agent_decision_and_tool_and_pages_with_the_cursor()
    {
        await using var console = await SignedInAsync();
        var page = console.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Calls" }).ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(7);

        await FilterAsync(page, "Agent", "bob");
        await Expect(Rows(page)).ToHaveCountAsync(2);
        await Expect(page.Locator("#history")).Not.ToContainTextAsync("alice");
        await Expect(Rows(page).Filter(new() { HasText = "curl example.com" })).ToContainTextAsync("deny");
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("history");

        await FilterAsync(page, "Agent", "");
        await FilterAsync(page, "Decision", "deny");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page)).ToContainTextAsync("curl example.com");

        await FilterAsync(page, "Decision", "any");
        await FilterAsync(page, "Tool", "Read");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(Rows(page)).ToContainTextAsync("notes.txt");

        await FilterAsync(page, "Tool", "");
        await FilterAsync(page, "Per page", "3");
        var seen = new List<string>();
        foreach (var expected in new[] { 3, 3, 1 })
        {
            await Expect(Rows(page)).ToHaveCountAsync(expected);
            foreach (var row in await Rows(page).AllAsync())
                seen.Add(await row.GetByRole(AriaRole.Link).GetAttributeAsync("href") ?? "");
            if (seen.Count < 7) await CallsPageAfterAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync());
        }
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"#/calls/h-{i}"), seen);
        await CallsPageAfterAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = "First page" }).ClickAsync());
        await Expect(Rows(page).First).ToContainTextAsync("echo one");
    }

    [ChromiumFact]
    public async Task Filtering_again_with_the_same_filter_shows_the_calls_made_since()
    {
        await using var console = await SignedInAsync();
        var page = console.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Calls" }).ClickAsync();
        await FilterAsync(page, "Agent", "bob");
        await Expect(Rows(page)).ToHaveCountAsync(2);

        _decisions["h-8"] = await DecisionOfAsync(await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("echo four", agent: "bob", session: "s-bob", id: "h-8")));
        await CallsPageAfterAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync());

        await Expect(Rows(page)).ToHaveCountAsync(3);
        await Expect(Rows(page).Last).ToContainTextAsync("echo four");
    }

    [ChromiumFact]
    public async Task A_call_opened_from_the_table_shows_its_events_reasons_output_digests_and_post_run_hooks()
    {
        await using var console = await SignedInAsync();
        var page = console.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Calls" }).ClickAsync();

        await Rows(page).Filter(new() { HasText = "echo one" }).GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page.Locator("#view h2")).ToHaveTextAsync("Call h-1");
        await Expect(page.Locator("#call-stdout")).ToContainTextAsync("one");
        var call = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/calls/h-1"));
        var digest = call.GetProperty("execution").GetProperty("stdoutDigest").GetString()!;
        await Expect(page.Locator("#view")).ToContainTextAsync(digest);
        var events = page.Locator("#call-events");
        await Expect(events.Locator("[data-event]")).Not.ToHaveCountAsync(0);
        await Expect(events).ToContainTextAsync("Bash(echo:*)");
        await Expect(events).ToContainTextAsync(digest);
        await Expect(page.Locator("#view")).ToContainTextAsync("Profile digest");
        await Expect(page.Locator("#call-post-hooks")).ToContainTextAsync("the output was read");
        await Expect(page.Locator("#call-post-hooks")).ToContainTextAsync("exit 0");
        await Expect(events.Locator("[data-event]", new() { HasText = "Hook event" })).ToContainTextAsync("context: the output was read");
        await console.AssertAccessibleAsync();
    }

    [ChromiumFact]
    public async Task A_replay_of_a_candidate_policy_shows_its_diff_grouped_by_rule_and_the_shadow_summary()
    {
        await ShadowDisagreedAsync();
        await using var console = await SignedInAsync();
        var page = console.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Replay" }).ClickAsync();
        await Expect(page.Locator("#shadow-summary")).ToContainTextAsync("shadow.json: 1 call where it decides otherwise than the enforced policy.");
        var disagreement = page.Locator("#shadow-diff [data-rule]");
        await Expect(disagreement).ToHaveCountAsync(1);
        await Expect(disagreement).ToContainTextAsync("Bash(echo two)");
        await Expect(disagreement).ToContainTextAsync("allow → deny — 1");
        await Expect(disagreement).ToContainTextAsync("h-2");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Candidate policy" }).FillAsync("{ \"permissions\": { \"deny\": [\"Bash(echo three)\", \"Bash(echo one)\"] } }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run replay" }).ClickAsync();

        await Expect(page.Locator("#replay-summary")).ToContainTextAsync("7 calls replayed");
        await Expect(page.Locator("#replay-summary")).ToContainTextAsync("2 would be decided differently");
        var groups = page.Locator("#replay-diff [data-rule]");
        await Expect(groups).ToHaveCountAsync(2);
        var three = page.Locator("#replay-diff [data-rule=\"Bash(echo three)\"]");
        await Expect(three).ToContainTextAsync("allow → deny — 1 call");
        await Expect(three).ToContainTextAsync("h-4 Bash by alice");
        await Expect(page.Locator("#replay-diff [data-rule=\"Bash(echo one)\"]")).ToContainTextAsync("h-1");
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("replay");

        await three.GetByRole(AriaRole.Link, new() { Name = "h-4" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Call h-4", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Replay" })).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task The_charts_count_the_decisions_and_the_approval_latency_of_the_calls_made()
    {
        await using var console = await SignedInAsync();
        var page = console.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Charts" }).ClickAsync();

        var decisions = page.Locator("#decisions-chart");
        await Expect(decisions.Locator("svg[role=img]")).ToBeVisibleAsync();
        foreach (var decision in new[] { "allow", "ask", "deny" })
        {
            var count = _decisions.Values.Count(d => d == decision);
            await Expect(decisions.Locator($"[data-decision={decision}]")).ToHaveAttributeAsync("data-count", count.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(count, await decisions.Locator($"rect.bar-{decision}").EvaluateAllAsync<int>(
                "bars => bars.reduce((n, b) => n + Number(b.querySelector('title').textContent.split(' ')[0]), 0)"));
        }
        await Expect(decisions.Locator("svg desc")).ToContainTextAsync($"7 decided calls from ");

        var latency = page.Locator("#latency-chart");
        await Expect(latency.Locator("svg[role=img]")).ToBeVisibleAsync();
        await Expect(page.Locator("#latency-summary")).ToContainTextAsync("2 answered approvals among 2 asked calls");
        await latency.GetByText("Each answered approval").ClickAsync();
        foreach (var (id, seconds) in _latencies)
        {
            var row = latency.Locator("tr", new() { HasText = id });
            await Expect(row).ToContainTextAsync("denied by local");
            var shown = double.Parse((await row.Locator("[data-seconds]").GetAttributeAsync("data-seconds"))!, CultureInfo.InvariantCulture);
            // The page reads the recorded times to the millisecond.
            Assert.InRange(shown, seconds - 0.0025, seconds + 0.0025);
        }
        Assert.Equal(2, await latency.Locator("rect.bar-latency").EvaluateAllAsync<int>(
            "bars => bars.reduce((n, b) => n + Number(b.querySelector('title').textContent.split(' ')[0]), 0)"));
        await console.AssertAccessibleAsync();
        await console.ScreenshotAsync("charts");
    }

    [ChromiumFact]
    public async Task At_a_phones_width_the_calls_replay_and_charts_pages_fit_without_sideways_scrolling()
    {
        await ShadowDisagreedAsync();
        await using var console = await SignedInAsync(width: 390);
        var page = console.Page;
        foreach (var (view, ready) in new[] { ("calls", "#history tbody tr"), ("charts", "#latency-summary"), ("replay", "#shadow-diff") })
        {
            await page.GotoAsync($"/#/{view}");
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await console.AssertNoSidewaysScrollingAsync($"the {view} page");
            await console.AssertAccessibleAsync();
            if (view == "calls") await console.ScreenshotAsync("history-phone");
        }
    }
}
