using System.Net;
using System.Net.Http.Json;

namespace Orchestrator.Server.Tests;

/// <summary>Through the real app and the real sandbox: a call beyond the execution cap is shown as queued, then runs.</summary>
public sealed class ExecutionQueueSpecs
{
    private static async Task<string> StatusAsync(ServerHost host, string id) =>
        (await ServerHost.JsonOf(await host.Client.GetAsync($"/v1/calls/{id}"))).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_call_beyond_the_global_cap_is_shown_queued_with_the_cap_and_runs_once_the_slot_frees()
    {
        await using var host = await ServerHost.StartAsync(o => o with { MaxRuns = 1 });
        // Holds the only slot until the test writes the fifo.
        var fifo = Path.Combine(host.Project, "gate");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var first = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash($"cat {fifo}", agent: "a", session: "sa", id: "holder", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await StatusAsync(host, "holder") != "executing") Assert.True(DateTime.UtcNow < deadline, "the first call never started");

        var second = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("echo queued-run", agent: "b", session: "sb", id: "waiter", intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        while (await StatusAsync(host, "waiter") != "queued") Assert.True(DateTime.UtcNow < deadline, "the second call was never queued");
        var queued = await ServerHost.JsonOf(await host.Client.GetAsync("/v1/calls/waiter"));
        Assert.Contains("queued for an execution slot: 1 runs going (at most 1 at once)", queued.GetProperty("detail").GetString());

        await File.WriteAllTextAsync(fifo, "released\n");
        var done = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("echo queued-run", agent: "b", session: "sb", id: "waiter", intent: "execute", wait: 60));
        var state = await ServerHost.JsonOf(done);
        Assert.Equal("allowed-and-ran", state.GetProperty("outcome").GetString());
        var events = await ServerHost.JsonOf(await host.Client.GetAsync("/v1/calls/waiter/events"));
        Assert.Contains(events.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "execution-queued.v1");
    }
}
