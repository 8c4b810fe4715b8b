using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Core.Approval;

namespace Orchestrator.Server.Tests;

/// <summary>Always answers over HTTP write their allow rules into the workspace's <c>.orchestrator/settings.local.json</c>.</summary>
public sealed class AlwaysGrantFileSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private ServerHost _host = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(true:*)"] },
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string SettingsFile => LocalSettingsRules.PathIn(_host.Project);

    private async Task<string> SubmitAskAsync(string command, string id, string session = "s1")
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, id: id, session: session, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    /// <summary>The allow rules in the file once it holds <paramref name="count"/> of them (the file is written after the grant).</summary>
    private async Task<string[]> AllowRulesAsync(int count)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + Patience;
        string[] rules = [];
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(SettingsFile))
            {
                using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(SettingsFile));
                rules = [.. doc.RootElement.GetProperty("permissions").GetProperty("allow").EnumerateArray().Select(e => e.GetString()!)];
                if (rules.Length >= count) return rules;
            }
            await poll.WaitForNextTickAsync();
        }
        return rules;
    }

    [Fact]
    public async Task Fifty_always_answers_at_once_leave_fifty_allow_rules_in_one_valid_file_and_each_later_call_is_covered()
    {
        var approvals = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SubmitAskAsync($"true step-{i}", $"always-{i}", $"s-{i}")));

        var answers = await Task.WhenAll(approvals.Select(id =>
            _host.Client.PostAsJsonAsync($"/v1/approvals/{id}", new { decision = "approve", scope = "always" })));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var rules = await AllowRulesAsync(50);
        var grants = (await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/grants"))).GetProperty("grants").GetArrayLength();
        Assert.Equal(50, grants);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"Bash(true step-{i})").Order(), rules.Order());
        var later = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("true step-7", id: "later", session: "another-session"));
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal("decided-only", (await ServerHost.JsonOf(later)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Revoking_an_always_grant_takes_its_rule_out_of_the_file_and_keeps_the_others()
    {
        var kept = await SubmitAskAsync("true kept", "kept");
        var revoked = await SubmitAskAsync("true revoked", "revoked");
        await _host.Client.PostAsJsonAsync($"/v1/approvals/{kept}", new { decision = "approve", scope = "always" });
        await _host.Client.PostAsJsonAsync($"/v1/approvals/{revoked}", new { decision = "approve", scope = "always" });
        Assert.Equal(2, (await AllowRulesAsync(2)).Length);

        var deleted = await _host.Client.DeleteAsync($"/v1/grants/grant-{revoked}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTime.UtcNow + Patience;
        while (File.ReadAllText(SettingsFile).Contains("true revoked", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await poll.WaitForNextTickAsync();
        Assert.Equal(["Bash(true kept)"], await AllowRulesAsync(1));
    }
}
