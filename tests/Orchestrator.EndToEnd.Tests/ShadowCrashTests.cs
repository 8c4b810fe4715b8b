using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// <c>serve --shadow-policy</c> and a crash: a call received before a SIGKILL (its PreToolUse hook still running) is
/// decided after the restart, and the shadow judges that decision — once, however many restarts follow. The enforced
/// policy asks for <c>printf</c>, the candidate would deny it; nobody answers, so the call stays pending approval.
/// </summary>
public sealed class ShadowCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public void Dispose() => _setup.Dispose();

    private object Call(string id, string command) => new
    {
        id, agentId = "agent-1", sessionId = "shadow-session", tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd = _setup.Project, intent = "execute", wait = 0,
    };

    private static async Task<List<string>> DisagreedCallsAsync(ServerProcess server)
    {
        var (status, shadow) = await server.GetAsync("/v1/shadow");
        Assert.True(status == 200, $"{status} {shadow}");
        return [.. shadow.GetProperty("byRule").EnumerateArray()
            .SelectMany(g => g.GetProperty("examples").EnumerateArray()).Select(e => e.GetProperty("callId").GetString()!)];
    }

    private static Task AwaitAsync(ServerProcess server, Func<Task<bool>> done, string what) =>
        Poll.UntilAsync(done, ok => ok, what, Patience, () => server.Log);

    private static async Task<string> StatusAsync(ServerProcess server, string id)
    {
        var (_, body) = await server.GetAsync($"/v1/calls/{id}");
        return body.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
    }

    /// <summary>Rows the shadow wrote to the journal (its checkpoints and disagreements).</summary>
    private long ShadowRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_setup.Data, "orchestrator.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = 'shadow'";
        try { return (long)command.ExecuteScalar()!; }
        catch (SqliteException) { return 0; } // the table is not there yet
    }

    [Fact]
    public async Task A_call_received_before_a_crash_and_decided_after_it_is_judged_by_the_shadow_once()
    {
        var gate = Path.Combine(_setup.Root, "gate");
        var candidate = Path.Combine(_setup.Root, "candidate.json");
        File.WriteAllText(candidate, """{ "permissions": { "deny": ["Bash(printf:*)"] } }""");
        _setup.WriteSettings($$"""
            { "permissions": { "ask": ["Bash(printf:*)"] }, "orchestrator": { "approvalPolicy": "on-request" },
              "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "while [ ! -e '{{gate}}' ]; do sleep 0.05; done" } ] } ] } }
            """);
        _setup.ExtraArguments.AddRange(["--shadow-policy", candidate]);

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            await AwaitAsync(server, () => Task.FromResult(ShadowRows() > 0), "the shadow never recorded where it begins");
            var (status, body) = await server.PostAsync("/v1/calls", Call("across-1", "printf across"));
            Assert.True(status == 202 && body.GetProperty("status").GetString() == "received", $"{status} {body}");
            server.Kill();
        }
        File.WriteAllText(gate, "");

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            await AwaitAsync(server, async () => await StatusAsync(server, "across-1") == "awaiting-approval", "the call was never decided after the restart");
            await AwaitAsync(server, async () => (await DisagreedCallsAsync(server)).Count > 0, "the decision made after the restart was never judged");
            Assert.Equal(["across-1"], await DisagreedCallsAsync(server));
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            // A later disagreement recorded means every decision before it was read again by now.
            var (status, body) = await server.PostAsync("/v1/calls", Call("later-1", "printf later"));
            Assert.True(status is 201 or 202, $"{status} {body}");
            await AwaitAsync(server, async () => (await DisagreedCallsAsync(server)).Contains("later-1"), "the shadow never judged later-1");
            Assert.Equal(["across-1", "later-1"], (await DisagreedCallsAsync(server)).Order(StringComparer.Ordinal));
            Assert.Equal("awaiting-approval", await StatusAsync(server, "across-1"));
        }
    }
}
