using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Server.Tests;

/// <summary>Poison input never reaches a stage and never slows other agents; a stage that is down is named by /readyz.</summary>
public sealed class StageIsolationSpecs
{
    private static async Task<TimeSpan> MedianLatencyAsync(ServerHost host, string agent, int calls)
    {
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            var response = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", agent: agent, session: agent));
            latencies.Add(clock.Elapsed);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        latencies.Sort();
        return latencies[latencies.Count / 2];
    }

    private static string Poison(ServerHost host, int i)
    {
        var cwd = System.Text.Json.JsonSerializer.Serialize(host.Project);
        return (i % 5) switch
        {
            0 => $"{{\"agentId\":\"bad\",\"sessionId\":\"bad\",\"tool\":\"Bash\",\"cwd\":{cwd},\"input\":{{\"command\":null}}}}",
            1 => $"{{\"agentId\":\"bad\",\"sessionId\":\"bad\",\"tool\":\"Bash\",\"cwd\":{cwd},\"input\":{{\"command\":[1,2]}}}}",
            2 => $"{{\"agentId\":null,\"sessionId\":\"bad\",\"tool\":\"Bash\",\"cwd\":{cwd},\"input\":{{\"command\":\"ls\"}}}}",
            3 => $"{{\"agentId\":\"bad\",\"sessionId\":\"a/../b\",\"tool\":\"Bash\",\"cwd\":{cwd},\"input\":{{\"command\":\"ls\"}}}}",
            _ => $"{{\"agentId\":\"bad\",\"sessionId\":\"bad\",\"tool\":\"Bash\",\"cwd\":{cwd},\"input\":{{\"command\":\"ls\",\"timeout\":\"soon\"}},\"wait\":\"NaN\"}}",
        };
    }

    [Fact]
    public async Task A_hundred_poison_inputs_at_once_leave_another_agent_served_within_its_normal_latency()
    {
        await using var host = await ServerHost.StartAsync();
        await MedianLatencyAsync(host, "warm-up", 10);
        var alone = await MedianLatencyAsync(host, "steady", 20);

        var flood = Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            host.Client.PostAsync("/v1/calls", new StringContent(Poison(host, i), Encoding.UTF8, "application/json"))));
        var during = await MedianLatencyAsync(host, "steady-2", 20);
        var poisoned = await flood;

        Assert.All(poisoned, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        // Generous: the flood's requests share the machine, but none of them may hold the pipeline.
        Assert.True(during < alone * 10 + TimeSpan.FromMilliseconds(250), $"median alone {alone.TotalMilliseconds:0.0} ms, during the flood {during.TotalMilliseconds:0.0} ms");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task A_crashed_approval_broker_is_restarted_and_readyz_names_it_while_it_is_down()
    {
        await using var host = await ServerHost.StartAsync(o => o with { Approver = null });
        var system = host.Services.GetRequiredService<ActorSystem>();
        var broker = await system.ActorSelection("/user/orchestrator/approvals/approvals").ResolveOne(TimeSpan.FromSeconds(10));

        broker.Tell(Kill.Instance);
        var down = await host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var body = await ServerHost.JsonOf(down);
        Assert.Contains("approvals:", body.GetProperty("error").GetString());
        Assert.Contains(body.GetProperty("stages").EnumerateArray(), s => s.GetProperty("stage").GetString() == "policy" && s.GetProperty("ready").GetBoolean());

        // Restarted (after its backoff): ready again, and it serves approvals.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await host.Client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
            Assert.True(DateTime.UtcNow < deadline, "the approval broker never came back");
        var asked = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("rm -rf build", id: "after-restart", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var approvals = await ServerHost.JsonOf(await host.Client.GetAsync("/v1/approvals"));
        Assert.Contains(approvals.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("callId").GetString() == "after-restart");
    }
}
