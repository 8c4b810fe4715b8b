using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>POST /v1/replay</c> leaves cores to live decisions: it judges on <see cref="ServerOptions.ReplayCores"/> cores, and
/// a server runs one replay at a time — another asked for meanwhile is answered 429 with <c>Retry-After</c>.
/// </summary>
public sealed class ReplayLimitSpecs
{
    private static async Task<ServerHost> StartWithOneCallAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var host = await ServerHost.StartAsync(configure);
        var response = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", id: "limit-1", wait: 30));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return host;
    }

    [Fact]
    public async Task A_replay_asked_for_while_another_runs_is_answered_429_with_retry_after_and_the_next_one_runs()
    {
        await using var host = await StartWithOneCallAsync();
        var gate = host.Services.GetRequiredService<ReplayGate>();
        Assert.True(gate.TryEnter(), "no replay runs yet"); // the server's gate held as a running replay holds it

        using (var refused = await host.Client.PostAsJsonAsync("/v1/replay", new { }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            var body = await ServerHost.JsonOf(refused);
            Assert.Contains("a replay is already running on this server", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        gate.Exit();
        using var answered = await host.Client.PostAsJsonAsync("/v1/replay", new { });
        Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync());
        Assert.Equal(1, (await ServerHost.JsonOf(answered)).GetProperty("replayed").GetInt64());
        Assert.True(gate.TryEnter(), "a finished replay lets the gate go");
    }

    [Fact]
    public async Task Of_concurrent_replays_each_is_answered_200_or_429_and_the_gate_is_free_after_them()
    {
        await using var host = await StartWithOneCallAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await host.Client.PostAsJsonAsync("/v1/replay", new { });
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, a.ToString()));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.Equal(TimeSpan.FromSeconds(5), a.RetryAfter));
        Assert.True(host.Services.GetRequiredService<ReplayGate>().TryEnter(), "no refused or finished replay keeps the gate");
    }

    [Fact]
    public async Task A_replay_judges_on_the_configured_cores_and_says_so()
    {
        await using (var one = await StartWithOneCallAsync(o => o with { ReplayCores = 1 }))
        {
            using var response = await one.Client.PostAsJsonAsync("/v1/replay", new { });
            Assert.Equal(1, (await ServerHost.JsonOf(response)).GetProperty("cores").GetInt32());
        }
        await using var byDefault = await StartWithOneCallAsync();
        using var answered = await byDefault.Client.PostAsJsonAsync("/v1/replay", new { });
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), (await ServerHost.JsonOf(answered)).GetProperty("cores").GetInt32());
    }

    [Fact]
    public async Task A_bad_replay_request_is_refused_400_without_taking_the_gate()
    {
        await using var host = await StartWithOneCallAsync();
        using var bad = await host.Client.PostAsJsonAsync("/v1/replay", new { replace = true });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(host.Services.GetRequiredService<ReplayGate>().TryEnter());
    }
}
