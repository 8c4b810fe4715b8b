using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>serve --shadow-policy</c>: every live call is also judged against the candidate; where it would decide otherwise
/// the disagreement is recorded and summarised by rule (<c>GET /v1/shadow</c>), and the enforced verdict stays the
/// enforced policy's.
/// </summary>
public sealed class ShadowSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;
    private string _candidate = null!;

    public async Task InitializeAsync() => _host = await ServerHost.StartAsync(o =>
    {
        _candidate = Path.Combine(Path.GetDirectoryName(o.Policy.ProjectDirectory)!, "candidate.json");
        File.WriteAllText(_candidate, "{\"permissions\":{\"deny\":[\"Bash(ls:*)\"]}}");
        return o with { ShadowPolicy = _candidate, ShadowInterval = TimeSpan.FromMilliseconds(20) };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_server_is_ready_only_once_the_shadow_knows_where_it_begins_so_every_call_after_ready_is_judged()
    {
        // The host waited for /readyz: the shadow stage is among the ready ones, its starting point already recorded.
        var ready = await ServerHost.JsonOf(await _host.Client.GetAsync("/readyz"));
        var stage = Assert.Single(ready.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "shadow policy");
        Assert.True(stage.GetProperty("ready").GetBoolean());
        var shadow = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/shadow"));
        Assert.Equal(0, shadow.GetProperty("disagreements").GetInt64());
    }

    [Fact]
    public async Task A_call_the_candidate_would_deny_is_still_allowed_and_the_disagreement_is_recorded_by_rule()
    {
        var ls = await ServerHost.JsonOf(await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("ls", id: "sh-1", wait: 30)));
        var pwd = await ServerHost.JsonOf(await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash("pwd", id: "sh-2", wait: 30)));
        Assert.Equal("allow", ls.GetProperty("decision").GetString());
        Assert.Equal("allow", pwd.GetProperty("decision").GetString());

        JsonElement shadow;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            shadow = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/shadow"));
            Assert.True(DateTime.UtcNow < deadline, $"no disagreement recorded: {shadow}");
        }
        while (shadow.GetProperty("disagreements").GetInt64() == 0);

        Assert.Equal(_candidate, shadow.GetProperty("candidate").GetString());
        var group = Assert.Single(shadow.GetProperty("byRule").EnumerateArray());
        Assert.Equal(("Bash(ls:*)", "allow", "deny", 1L), (group.GetProperty("rule").GetString(), group.GetProperty("before").GetString(),
            group.GetProperty("after").GetString(), group.GetProperty("count").GetInt64()));
        Assert.Equal("sh-1", Assert.Single(group.GetProperty("examples").EnumerateArray()).GetProperty("callId").GetString());
        // The recorded verdict is the enforced one.
        var history = await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/history?decision=deny"));
        Assert.Empty(history.GetProperty("calls").EnumerateArray());
    }
}
