using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Server.Tests;

/// <summary>
/// PreToolUse hooks come from the workspace that judged the call: under <c>serve --root</c> each workspace's own
/// <c>.orchestrator/settings.json</c> hooks run for its calls only, and a hook added to the settings of a running
/// server runs from the next call after the reload.
/// </summary>
public sealed class WorkspaceHookSpecs
{
    private const string AllowBuild = "\"permissions\":{\"allow\":[\"Bash(npm run build)\"]}";

    private const string BlockingHook =
        "\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":\"command\",\"command\":\"echo 'no builds in this workspace' >&2; exit 2\"}]}]}";

    private static void WriteSettings(string workspace, string json)
    {
        var dir = Directory.CreateDirectory(Path.Combine(workspace, ".orchestrator")).FullName;
        File.WriteAllText(Path.Combine(dir, "settings.json"), json);
    }

    private static object Call(string command, string cwd) => new
    {
        agentId = "agent-1", sessionId = "s-" + Guid.NewGuid().ToString("n")[..8], tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd, intent = "decide-only", wait = 30,
    };

    private static async Task<JsonElement> Submit(ServerHost host, object call)
    {
        var response = await host.Client.PostAsJsonAsync("/v1/calls", call);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ServerHost.JsonOf(response);
    }

    [Fact]
    public async Task Under_one_root_a_workspace_s_own_blocking_hook_denies_its_call_while_the_other_workspace_allows_the_same_call()
    {
        string agents = null!;
        await using var host = await ServerHost.StartAsync(o =>
        {
            agents = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(o.Policy.ProjectDirectory)!, "agents")).FullName;
            return o with { Roots = [agents] };
        });
        var guarded = Directory.CreateDirectory(Path.Combine(agents, "guarded")).FullName;
        var open = Directory.CreateDirectory(Path.Combine(agents, "open")).FullName;
        WriteSettings(guarded, "{" + AllowBuild + "," + BlockingHook + "}");
        WriteSettings(open, "{" + AllowBuild + "}");

        var inGuarded = await Submit(host, Call("npm run build", guarded));
        var inOpen = await Submit(host, Call("npm run build", open));

        Assert.Equal("deny", inGuarded.GetProperty("decision").GetString());
        Assert.Contains("no builds in this workspace", inGuarded.GetProperty("reason").GetString());
        Assert.Equal(guarded, inGuarded.GetProperty("workspace").GetString());
        Assert.Equal("allow", inOpen.GetProperty("decision").GetString());
        Assert.Equal(open, inOpen.GetProperty("workspace").GetString());
    }

    [Fact]
    public async Task A_blocking_hook_added_to_the_settings_of_a_running_server_blocks_the_next_call_after_the_reload()
    {
        await using var host = await ServerHost.StartAsync(o =>
        {
            WriteSettings(o.Policy.ProjectDirectory, "{" + AllowBuild + "}");
            return o;
        });
        var system = host.Services.GetRequiredService<ActorSystem>();
        var loaded = Inbox.Create(system);
        system.EventStream.Subscribe(loaded.Receiver, typeof(PolicyLoaded));

        var before = await Submit(host, Call("npm run build", host.Project));
        Assert.Equal("allow", before.GetProperty("decision").GetString());

        WriteSettings(host.Project, "{" + AllowBuild + "," + BlockingHook + "}");
        await NextLoadedAsync(loaded, l => !l.FailedClosed && l.Sources.Any(s => s.Content?.Contains("PreToolUse", StringComparison.Ordinal) == true));
        var after = await Submit(host, Call("npm run build", host.Project));

        Assert.Equal("deny", after.GetProperty("decision").GetString());
        Assert.Contains("no builds in this workspace", after.GetProperty("reason").GetString());

        WriteSettings(host.Project, "{" + AllowBuild + "}");
        await NextLoadedAsync(loaded, l => !l.FailedClosed && l.Sources.All(s => s.Content?.Contains("PreToolUse", StringComparison.Ordinal) != true));
        Assert.Equal("allow", (await Submit(host, Call("npm run build", host.Project))).GetProperty("decision").GetString());
    }

    private static async Task<PolicyLoaded> NextLoadedAsync(Inbox inbox, Func<PolicyLoaded, bool> wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching PolicyLoaded was published");
            if (await inbox.ReceiveAsync(left) is PolicyLoaded loaded && wanted(loaded)) return loaded;
        }
    }
}
