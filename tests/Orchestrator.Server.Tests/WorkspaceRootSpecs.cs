using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>serve --root</c>: each call is judged by its own workspace's <c>.orchestrator/</c> layers, found from its
/// <c>workspace</c> field or its <c>cwd</c> (symlinks resolved); a call outside every root is refused and recorded.
/// </summary>
public sealed class WorkspaceRootSpecs : IAsyncLifetime
{
    private ServerHost _host = null!;
    private string _agents = null!;
    private string _outside = null!;

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync(o =>
        {
            var root = Path.GetDirectoryName(o.Policy.ProjectDirectory)!;
            _agents = Directory.CreateDirectory(Path.Combine(root, "agents")).FullName;
            _outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
            return o with { Roots = [_agents] };
        });
        Settings("a", """{"permissions":{"deny":["Bash(npm run build)"]}}""");
        Settings("b", """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        Directory.CreateDirectory(Path.Combine(_agents, "a", ".git"));
        // A git worktree: .git is a file pointing at the main repository's worktree entry.
        Directory.CreateDirectory(Path.Combine(_agents, "wt1", "src", "deep", "er"));
        File.WriteAllText(Path.Combine(_agents, "wt1", ".git"), $"gitdir: {Path.Combine(_agents, "a", ".git", "worktrees", "wt1")}\n");
        Settings("wt1", """{"permissions":{"deny":["Bash(npm run build)"]}}""");
        Directory.CreateDirectory(Path.Combine(_outside, ".orchestrator"));
        File.WriteAllText(Path.Combine(_outside, ".orchestrator", "settings.json"), """{"permissions":{"allow":["Bash(npm run build)"]}}""");
        Directory.CreateSymbolicLink(Path.Combine(_agents, "link"), _outside);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private void Settings(string workspace, string json)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_agents, workspace, ".orchestrator")).FullName;
        File.WriteAllText(Path.Combine(dir, "settings.json"), json);
    }

    private static object Call(string command, string cwd, string? workspace = null) => new
    {
        agentId = "agent-1", sessionId = "s-" + Guid.NewGuid().ToString("n")[..8], tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd, workspace, intent = "decide-only",
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> Submit(object call)
    {
        var response = await _host.Client.PostAsJsonAsync("/v1/calls", call);
        return (response.StatusCode, await ServerHost.JsonOf(response));
    }

    [Fact]
    public async Task The_same_command_in_two_workspaces_under_one_root_gets_each_workspace_s_verdict()
    {
        var inA = await Submit(Call("npm run build", Path.Combine(_agents, "a")));
        var inB = await Submit(Call("npm run build", Path.Combine(_agents, "b")));
        var checkedInB = await _host.Client.PostAsJsonAsync("/v1/check", Call("npm run build", Path.Combine(_agents, "b")));

        Assert.Equal(HttpStatusCode.Created, inA.Status);
        Assert.Equal("deny", inA.Body.GetProperty("decision").GetString());
        Assert.Equal(Path.Combine(_agents, "a"), inA.Body.GetProperty("workspace").GetString());
        Assert.Equal("allow", inB.Body.GetProperty("decision").GetString());
        Assert.Equal(Path.Combine(_agents, "b"), inB.Body.GetProperty("workspace").GetString());
        Assert.Equal("allow", (await ServerHost.JsonOf(checkedInB)).GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_cwd_deep_in_a_worktree_is_judged_by_the_worktree_s_own_layers()
    {
        var deep = await Submit(Call("npm run build", Path.Combine(_agents, "wt1", "src", "deep", "er")));

        Assert.Equal("deny", deep.Body.GetProperty("decision").GetString());
        Assert.Equal(Path.Combine(_agents, "wt1"), deep.Body.GetProperty("workspace").GetString());
    }

    [Fact]
    public async Task A_call_outside_every_root_is_refused_with_403_and_the_refusal_is_recorded()
    {
        var byCwd = await Submit(Call("npm run build", _outside));
        var byField = await Submit(Call("npm run build", Path.Combine(_agents, "b"), workspace: _outside));

        Assert.Equal(HttpStatusCode.Forbidden, byCwd.Status);
        Assert.Contains("outside every workspace root", byCwd.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byField.Status);
        var refusals = await RefusalsAsync(list => list.Count(r => r.GetProperty("status").GetInt32() == 403) >= 1);
        Assert.Contains(refusals, r => r.GetProperty("reason").GetString()!.Contains(_outside, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_symlink_inside_the_root_pointing_outside_it_is_outside()
    {
        var byField = await Submit(Call("npm run build", Path.Combine(_agents, "b"), workspace: Path.Combine(_agents, "link")));
        var byCwd = await Submit(Call("npm run build", Path.Combine(_agents, "link")));

        Assert.Equal(HttpStatusCode.Forbidden, byField.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byCwd.Status);
    }

    [Fact]
    public async Task A_workspace_that_is_relative_or_missing_is_a_400_naming_it()
    {
        var relative = await Submit(Call("ls", Path.Combine(_agents, "b"), workspace: "agents/b"));
        var missing = await Submit(Call("ls", Path.Combine(_agents, "b"), workspace: Path.Combine(_agents, "nope")));

        Assert.Equal(HttpStatusCode.BadRequest, relative.Status);
        Assert.Contains("workspace must be an absolute path", relative.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("nope", missing.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_call_runs_in_a_sandbox_whose_writable_root_is_its_own_workspace_not_the_whole_root()
    {
        Settings("c", """{"permissions":{"allow":["Bash(./w.sh)"]}}""");
        var script = Path.Combine(_agents, "c", "w.sh");
        File.WriteAllText(script, "#!/bin/sh\necho in > made-here\necho out > ../a/intruder\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var call = new
        {
            agentId = "agent-1", sessionId = "s-run", tool = "Bash", input = new Dictionary<string, string> { ["command"] = "./w.sh" },
            cwd = Path.Combine(_agents, "c"), intent = "execute", wait = 60,
        };

        var ran = await Submit(call);

        Assert.Equal(HttpStatusCode.Created, ran.Status);
        Assert.Equal("allowed-and-ran", ran.Body.GetProperty("outcome").GetString());
        Assert.True(File.Exists(Path.Combine(_agents, "c", "made-here")));
        Assert.False(File.Exists(Path.Combine(_agents, "a", "intruder")));
    }

    private async Task<List<JsonElement>> RefusalsAsync(Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var list = (await ServerHost.JsonOf(await _host.Client.GetAsync("/v1/refusals"))).GetProperty("refusals").EnumerateArray().ToList();
            if (done(list) || DateTime.UtcNow > deadline) return list;
            await Task.Yield();
        }
    }
}
