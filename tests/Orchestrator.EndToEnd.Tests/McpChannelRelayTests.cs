using System.Text.Json;
using static Orchestrator.EndToEnd.Tests.McpClientTests;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Claude Code's channel permission relay against a real <c>orchestrator mcp</c> on stdio, driven by a scripted client
/// on the official TypeScript SDK (<c>mcp-client/relay.mjs</c>) that sends <c>notifications/claude/channel/permission_request</c>
/// and prints the <c>notifications/claude/channel/permission</c> verdicts: the policy answers at once, an ask waits in
/// the approval queue for an operator, unreadable and hostile prompts get no verdict (Claude Code's own dialog decides),
/// and prompts left pending by a process that ended are denied when the next one starts.
/// </summary>
public sealed class McpChannelRelayTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    private object Relay() => new
    {
        command = ServerProcess.Executable,
        args = new[] { "mcp", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile, "--agent", "claude-relay" },
        env = _setup.CliEnvironment(),
    };

    private static string Prompt(string id, string command, string? preview = null, string description = "Run a command") =>
        JsonSerializer.Serialize(new { request_id = id, tool_name = "Bash", description, input_preview = preview ?? JsonSerializer.Serialize(new { command }) });

    private static async Task<JsonElement> VerdictAsync(System.Threading.Channels.Channel<JsonElement> lines, List<string> stderr)
    {
        while (true)
        {
            var line = await lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120));
            if (line.GetProperty("step").GetString() == "verdict") return line;
            Assert.True(line.GetProperty("step").GetString() == "sent", $"unexpected {line}\n{string.Join('\n', stderr)}");
        }
    }

    private JsonElement PendingApprovals()
    {
        var listed = _setup.Cli("approvals", "list", "--json", "--data", _setup.Data);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        return JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("approvals");
    }

    private Task<JsonElement> WaitForPendingAsync(int count, List<string> stderr) =>
        Poll.UntilAsync(PendingApprovals, approvals => approvals.GetArrayLength() >= count, $"{count} approval(s) raised",
            context: () => { lock (stderr) return "orchestrator mcp's stderr:\n" + string.Join('\n', stderr); });

    [Fact]
    public async Task Relayed_prompts_are_answered_by_the_policy_at_once_and_an_ask_by_the_operators_answer()
    {
        var (client, lines, stderr) = StartClient(Relay(), "relay.mjs");
        using var _ = client;
        var connected = await NextAsync(lines, stderr, "connected");
        Assert.Equal(JsonValueKind.Object, connected.GetProperty("experimental").GetProperty("claude/channel/permission").ValueKind);

        client.StandardInput.WriteLine(Prompt("abcde", "echo hi"));
        Assert.Equal(("abcde", "allow"), Read(await VerdictAsync(lines, stderr)));
        client.StandardInput.WriteLine(Prompt("bcdef", "curl https://example.com"));
        Assert.Equal(("bcdef", "deny"), Read(await VerdictAsync(lines, stderr)));

        // An ask waits in our queue; the same request id again while it waits is not a second prompt.
        client.StandardInput.WriteLine(Prompt("cdefg", "printf relayed"));
        client.StandardInput.WriteLine(Prompt("cdefg", "printf relayed"));
        client.StandardInput.WriteLine(Prompt("defgh", "printf refused"));
        var pending = await WaitForPendingAsync(2, stderr);
        Assert.Equal(2, pending.GetArrayLength());
        var relayed = pending.EnumerateArray().Single(a => a.GetProperty("summary").GetString()!.Contains("printf relayed"));
        var refused = pending.EnumerateArray().Single(a => a.GetProperty("summary").GetString()!.Contains("printf refused"));
        Assert.Equal("claude-relay", relayed.GetProperty("agentId").GetString());

        var approve = _setup.Cli("approvals", "approve", relayed.GetProperty("approvalId").GetString()!, "--data", _setup.Data);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Equal(("cdefg", "allow"), Read(await VerdictAsync(lines, stderr)));
        var deny = _setup.Cli("approvals", "deny", refused.GetProperty("approvalId").GetString()!, "--data", _setup.Data);
        Assert.True(deny.ExitCode == 0, deny.ToString());
        Assert.Equal(("defgh", "deny"), Read(await VerdictAsync(lines, stderr)));

        // Nothing ran here: each relayed call is recorded once, decided only or refused.
        Assert.Equal(["approval-denied", "decided-only", "decided-only", "denied"], RelayedOutcomes());
        client.StandardInput.WriteLine("close");
        await client.WaitForExitAsync();
    }

    [Fact]
    public async Task Unreadable_and_hostile_prompts_get_no_verdict_so_Claude_Codes_own_dialog_decides()
    {
        var (client, lines, stderr) = StartClient(Relay(), "relay.mjs");
        using var _ = client;
        await NextAsync(lines, stderr, "connected");

        // Each of these is followed by a readable prompt: the next verdict names that one, so the others got none.
        var unanswered = new[]
        {
            Prompt("efghi", "", preview: """{"command": "echo a long command that Claude Code cut""" + "…"),
            Prompt("ABCDE", "echo upper-case id"),
            Prompt("lllll", "echo the letter l is not in Claude Code's alphabet"),
            JsonSerializer.Serialize(new { request_id = "fghij", tool_name = "Bash", input_preview = "[1, 2]" }),
            JsonSerializer.Serialize(new { request_id = "ghijk", tool_name = "Bash", input_preview = """{"command": 42}""" }),
            JsonSerializer.Serialize(new { request_id = "hijkm", tool_name = "no such/tool", input_preview = "{}" }),
            JsonSerializer.Serialize(new { request_id = 12345, tool_name = "Bash", input_preview = """{"command": "echo x"}""" }),
        };
        var readable = new[] { "ijkmn", "jkmno", "kmnop", "mnopq", "nopqr", "opqrs", "pqrst" };
        for (var i = 0; i < unanswered.Length; i++)
        {
            client.StandardInput.WriteLine(unanswered[i]);
            client.StandardInput.WriteLine(Prompt(readable[i], "echo fine", description: new string('d', 1_000_000)));
            Assert.Equal((readable[i], "allow"), Read(await VerdictAsync(lines, stderr)));
        }
        Assert.Equal(0, PendingApprovals().GetArrayLength());
        client.StandardInput.WriteLine("close");
        await client.WaitForExitAsync();
    }

    [Fact]
    public async Task A_prompt_left_pending_when_the_relaying_process_ended_is_denied_when_the_next_one_starts()
    {
        var (first, lines, stderr) = StartClient(Relay(), "relay.mjs");
        using (first)
        {
            await NextAsync(lines, stderr, "connected");
            first.StandardInput.WriteLine(Prompt("qrstu", "printf orphaned"));
            await WaitForPendingAsync(1, stderr);
            first.StandardInput.WriteLine("close");
            await first.WaitForExitAsync();
        }

        var (second, secondLines, secondStderr) = StartClient(Relay(), "relay.mjs");
        using var _ = second;
        await NextAsync(secondLines, secondStderr, "connected");
        await Poll.UntilAsync(() => { lock (secondStderr) return string.Join('\n', secondStderr); },
            stderr => stderr.Contains("denied 1 relayed permission prompt", StringComparison.Ordinal), "the relay denying the prompt left pending");
        Assert.Equal(0, PendingApprovals().GetArrayLength());
        Assert.Equal(["approval-denied"], RelayedOutcomes());
        second.StandardInput.WriteLine("close");
        await second.WaitForExitAsync();
    }

    /// <summary>The outcomes of the relayed calls recorded for the relay's agent, sorted.</summary>
    private string[] RelayedOutcomes()
    {
        var history = _setup.Cli("history", "--data", _setup.Data, "--agent", "claude-relay", "--json", "--all");
        Assert.True(history.ExitCode == 0, history.ToString());
        var calls = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(calls, c => Assert.StartsWith("relay-", c.GetProperty("callId").GetString()));
        return [.. calls.Select(c => c.GetProperty("outcome").GetString()!).Order()];
    }

    private static (string, string) Read(JsonElement verdict) =>
        (verdict.GetProperty("request_id").GetString()!, verdict.GetProperty("behavior").GetString()!);
}
