using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>POST /v1/replay</c> over calls recorded by the real server: the recorded policy changes nothing (the honesty
/// check), a tightened rule changes exactly the calls it names, and what changed on disk since — a symlink, a hook's
/// answer — does not change the replay, which executes nothing.
/// </summary>
public sealed class ReplaySpecs : IAsyncLifetime
{
    private const string HookFlag = "hook-denies-now";
    private ServerHost _host = null!;
    private string _sideEffect = null!;
    private string _link = null!;

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o =>
        {
            var settings = Directory.CreateDirectory(Path.Combine(o.Policy.ProjectDirectory, ".orchestrator")).FullName;
            // A hook that objects only while a flag file exists (it does not when the calls are made).
            var flag = Path.Combine(Path.GetDirectoryName(o.Policy.ProjectDirectory)!, HookFlag);
            File.WriteAllText(Path.Combine(settings, "settings.json"),
                "{\"permissions\":{\"allow\":[\"Bash(npm run build)\"],\"deny\":[\"Bash(touch:*)\"]},\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\"," +
                $"\"command\":\"if [ -e '{flag}' ]; then echo 'builds are frozen' >&2; exit 2; fi; exit 0\"}}]}}]}}}}");
            return o;
        });
        _sideEffect = Path.Combine(_host.Project, "side-effect");
        var inside = Directory.CreateDirectory(Path.Combine(_host.Project, "inside")).FullName;
        File.WriteAllText(Path.Combine(inside, "notes.txt"), "hello");
        _link = Path.Combine(_host.Project, "link");
        Directory.CreateSymbolicLink(_link, inside);
        foreach (var (command, agent, id) in new[]
                 {
                     ("ls", "alice", "r-1"), ("npm run build", "alice", "r-2"), ("ls -la", "bob", "r-3"),
                     ("curl http://example.com", "bob", "r-4"), ("cat link/notes.txt", "alice", "r-5"), ("touch side-effect", "bob", "r-6"),
                 })
        {
            var intent = id == "r-6" ? "execute" : "decide-only";
            var response = await _host.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, agent: agent, session: "s-" + agent, id: id, intent: intent, wait: 30));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> Replay(object body)
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/replay", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ServerHost.JsonOf(response);
    }

    private static IEnumerable<string> ChangedIds(JsonElement report) =>
        report.GetProperty("byRule").EnumerateArray().SelectMany(g => g.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("callId").GetString()!)).Order();

    [Fact]
    public async Task Replaying_with_the_recorded_policy_changes_nothing()
    {
        var report = await Replay(new { });
        Assert.Equal(6, report.GetProperty("replayed").GetInt64());
        Assert.Equal(0, report.GetProperty("changed").GetInt64());
        Assert.Equal(0, report.GetProperty("undecidable").GetInt64());
        Assert.Empty(report.GetProperty("byRule").EnumerateArray());
    }

    [Fact]
    public async Task The_recorded_project_settings_added_again_as_the_command_line_layer_change_nothing()
    {
        var settings = File.ReadAllText(Path.Combine(_host.Project, ".orchestrator", "settings.json"));
        var report = await Replay(new { policies = new[] { new { name = "same.json", content = settings } } });
        Assert.Equal(0, report.GetProperty("changed").GetInt64());
        Assert.Equal(0, report.GetProperty("undecidable").GetInt64());
    }

    [Fact]
    public async Task A_tightened_rule_changes_exactly_the_calls_it_names_grouped_under_it()
    {
        var report = await Replay(new { policies = new[] { new { name = "tight.json", content = "{\"permissions\":{\"deny\":[\"Bash(ls:*)\"]}}" } } });

        Assert.Equal(6, report.GetProperty("replayed").GetInt64());
        Assert.Equal(2, report.GetProperty("changed").GetInt64());
        var group = Assert.Single(report.GetProperty("byRule").EnumerateArray());
        Assert.Equal(("Bash(ls:*)", "allow", "deny", 2), (group.GetProperty("rule").GetString(), group.GetProperty("before").GetString(),
            group.GetProperty("after").GetString(), group.GetProperty("count").GetInt64()));
        Assert.Equal(["r-1", "r-3"], ChangedIds(report));
    }

    [Fact]
    public async Task Replace_judges_with_the_candidate_alone()
    {
        // Without the recorded layers, npm run build is no longer allowed by a rule, and curl no longer denied.
        var report = await Replay(new { replace = true, policies = new[] { new { name = "only.json", content = "{\"permissions\":{\"allow\":[\"Bash(curl:*)\"]}}" } } });
        var changed = ChangedIds(report).ToArray();
        Assert.Contains("r-4", changed);
        Assert.DoesNotContain("r-1", changed);
    }

    [Fact]
    public async Task A_window_and_an_agent_narrow_what_is_replayed()
    {
        Assert.Equal(3, (await Replay(new { agent = "bob" })).GetProperty("replayed").GetInt64());
        Assert.Equal(0, (await Replay(new { to = "2000-01-01T00:00:00Z" })).GetProperty("replayed").GetInt64());
    }

    [Fact]
    public async Task Replay_executes_nothing_even_when_the_candidate_allows_a_call_that_was_denied()
    {
        var report = await Replay(new { replace = true, policies = new[] { new { name = "open.json", content = "{\"permissions\":{\"allow\":[\"Bash(touch:*)\"]}}" } } });
        Assert.Contains("r-6", ChangedIds(report));
        Assert.False(File.Exists(_sideEffect), "the replay ran the recorded command");
    }

    [Fact]
    public async Task A_symlink_changed_and_a_hook_that_would_now_object_do_not_change_the_replay()
    {
        // The link now points into the home's SSH keys (never read without a rule), and the hook now objects.
        var keys = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(_host.Project)!, ".ssh")).FullName;
        File.WriteAllText(Path.Combine(keys, "notes.txt"), "key");
        Directory.Delete(_link);
        Directory.CreateSymbolicLink(_link, keys);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_host.Project)!, HookFlag), "");

        var report = await Replay(new { });
        Assert.Equal(0, report.GetProperty("changed").GetInt64());
        Assert.Equal(0, report.GetProperty("undecidable").GetInt64());
    }

    [Fact]
    public async Task Replace_without_a_candidate_is_refused()
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/replay", new { replace = true });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("replace needs at least one policy file", await response.Content.ReadAsStringAsync());
    }
}
