using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Server.Tests;

/// <summary>
/// <c>serve --shadow-policy</c> across restarts: a decision recorded while the shadow was behind (the server stopped
/// before it read it) is judged after the restart — and once only, however many restarts follow. The enforced policy
/// asks for <c>printf</c>, the candidate would deny it; nobody answers, so the call stays pending approval throughout.
/// A call received before a crash and decided after it: <c>ShadowCrashTests</c> (end to end, SIGKILL).
/// </summary>
public sealed class ShadowRestartSpecs : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private ServerHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    private static Func<ServerOptions, ServerOptions> Shadowed(TimeSpan interval) => o =>
    {
        var candidate = Path.Combine(Path.GetDirectoryName(o.Policy.ProjectDirectory)!, "candidate.json");
        File.WriteAllText(candidate, "{\"permissions\":{\"deny\":[\"Bash(printf:*)\"]}}");
        return o with
        {
            Policy = o.Policy with { AskRules = ["Bash(printf:*)"] },
            Approver = null, ShadowPolicy = candidate, ShadowInterval = interval,
        };
    };

    private async Task<JsonElement> SubmitAsync(string id, string command)
    {
        var response = await _host!.Client.PostAsJsonAsync("/v1/calls", _host.Bash(command, id: id, intent: "execute", wait: 0));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await ServerHost.JsonOf(response);
    }

    private async Task<JsonElement> ShadowAsync() => await ServerHost.JsonOf(await _host!.Client.GetAsync("/v1/shadow"));

    /// <summary>The call ids of every recorded disagreement, once per disagreement.</summary>
    private async Task<List<string>> DisagreedCallsAsync() =>
        [.. (await ShadowAsync()).GetProperty("byRule").EnumerateArray()
            .SelectMany(g => g.GetProperty("examples").EnumerateArray()).Select(e => e.GetProperty("callId").GetString()!)];

    private async Task AwaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}; shadow: {await ShadowAsync()}");
            await Task.Delay(20);
        }
    }

    private async Task<string> StatusAsync(string id) =>
        (await ServerHost.JsonOf(await _host!.Client.GetAsync($"/v1/calls/{id}"))).GetProperty("status").GetString()!;

    /// <summary>Rows the shadow wrote to the journal (its checkpoints and disagreements).</summary>
    private long ShadowRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_host!.DataDirectory, "orchestrator.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = 'shadow'";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>After a restart: a later disagreement is recorded, so every decision before it has been read again by now.</summary>
    private async Task AwaitLaterDisagreementAsync(string id)
    {
        await SubmitAsync(id, $"printf {id}");
        await AwaitAsync(async () => (await DisagreedCallsAsync()).Contains(id), $"the shadow never judged {id}");
    }

    [Fact]
    public async Task A_decision_the_shadow_had_not_read_before_a_restart_is_judged_after_it_once()
    {
        // Its first start records where it begins; then it would not look again for an hour.
        _host = await ServerHost.StartAsync(Shadowed(TimeSpan.FromHours(1)));
        await AwaitAsync(() => Task.FromResult(ShadowRows() > 0), "the shadow never recorded where it begins");
        Assert.Equal("awaiting-approval", (await SubmitAsync("behind-1", "printf behind")).GetProperty("status").GetString());
        Assert.Empty(await DisagreedCallsAsync());

        _host = await _host.RestartAsync(o => o with { ShadowInterval = TimeSpan.FromMilliseconds(20) });
        await AwaitAsync(async () => (await DisagreedCallsAsync()).Count > 0, "the decision made before the restart was never judged");
        Assert.Equal(["behind-1"], await DisagreedCallsAsync());
        Assert.Equal("awaiting-approval", await StatusAsync("behind-1"));

        _host = await _host.RestartAsync();
        await AwaitLaterDisagreementAsync("later-1");
        Assert.Equal(["behind-1", "later-1"], (await DisagreedCallsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal("awaiting-approval", await StatusAsync("behind-1"));
    }
}
