using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Orchestrator's MCP server driven by a client we did not write — the official TypeScript SDK
/// (<c>@modelcontextprotocol/sdk</c>, installed into <c>mcp-client/</c> by ops/setup.sh) — over streamable HTTP at
/// <c>/mcp</c> of a real <c>serve</c> and over stdio of a real <c>orchestrator mcp</c>: tools/list, allowed and denied
/// calls, an approval answered by an operator while the client waits, one answered by the client's user (elicitation),
/// and one left pending, then waited for with <c>call_status</c>.
/// </summary>
public sealed class McpClientTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public void Dispose() => _setup.Dispose();

    internal static string ClientDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Orchestrator.EndToEnd.Tests", "mcp-client");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                if (!Directory.Exists(Path.Combine(candidate, "node_modules", "@modelcontextprotocol", "sdk")))
                    throw new InvalidOperationException($"THE MCP CLIENT TESTS NEED @modelcontextprotocol/sdk in {candidate}/node_modules: run ops/setup.sh (npm ci there)");
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/Orchestrator.EndToEnd.Tests/mcp-client not found above the test binaries");
    }

    /// <summary>Starts the scripted client; its JSON lines arrive on the returned channel as they are printed.</summary>
    internal static (Process Process, System.Threading.Channels.Channel<JsonElement> Lines, List<string> Stderr) StartClient(object config, string script = "client.mjs")
    {
        var directory = ClientDirectory();
        var info = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Path.Combine(directory, script));
        info.ArgumentList.Add(JsonSerializer.Serialize(config));
        var process = Process.Start(info)!;
        var lines = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) lines.Writer.TryComplete();
            else if (e.Data.StartsWith('{')) lines.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, lines, stderr);
    }

    /// <summary>The next line, which must be <paramref name="step"/>; lines of step <paramref name="skipping"/> before it are each checked and passed over.</summary>
    internal static async Task<JsonElement> NextAsync(System.Threading.Channels.Channel<JsonElement> lines, List<string> stderr, string step,
        string? skipping = null, Action<JsonElement>? check = null)
    {
        try
        {
            var line = await lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120));
            for (; skipping is not null && line.GetProperty("step").GetString() == skipping; line = await lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120)))
                check?.Invoke(line);
            Assert.True(line.GetProperty("step").GetString() == step, $"expected {step}, got {line}\n{string.Join('\n', stderr)}");
            return line;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            throw new InvalidOperationException($"the client ended before {step}:\n{string.Join('\n', stderr)}");
        }
    }

    private static object Bash(string command) => new { name = "bash", arguments = new { command } };

    /// <summary>The first pending approval, polled (the approvals listing has no long poll); fails after a minute instead of hanging.</summary>
    internal static async Task<JsonElement> WaitForApprovalAsync(ServerProcess server)
    {
        var (_, body) = await Poll.UntilAsync(() => server.GetAsync("/v1/approvals"), listed => listed.Body.GetProperty("approvals").GetArrayLength() > 0,
            "an approval raised (server log:\n" + server.Log + ")");
        return body.GetProperty("approvals")[0];
    }

    [Fact]
    public async Task Over_http_the_sdk_client_lists_the_tools_runs_an_allowed_call_is_refused_a_denied_one_and_waits_for_an_operators_approval()
    {
        File.WriteAllText(Path.Combine(_setup.Project, "notes.txt"), "first line\n");
        await using var server = await ServerProcess.StartAsync(_setup);
        var (client, lines, stderr) = StartClient(new
        {
            transport = "http", url = new Uri(server.Url, "/mcp").ToString(), token = _setup.Tokens[ServerSetup.Agent],
            calls = new[] { Bash("echo hello-mcp"), Bash("curl https://example.com"), new { name = "read_file", arguments = new { file_path = Path.Combine(_setup.Project, "notes.txt") } }, Bash("printf approved-by-operator") },
        });
        using var _ = client;

        Assert.NotEqual(JsonValueKind.Null, (await NextAsync(lines, stderr, "connected")).GetProperty("server").ValueKind);
        var tools = (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Equal(["bash", "read_file", "write_file", "edit_file", "glob", "grep", "web_fetch", "call_status"], tools);

        var allowed = await NextAsync(lines, stderr, "result");
        Assert.False(allowed.GetProperty("isError").GetBoolean(), allowed.ToString());
        Assert.StartsWith("hello-mcp", allowed.GetProperty("text").GetString());
        var denied = await NextAsync(lines, stderr, "result");
        Assert.True(denied.GetProperty("isError").GetBoolean());
        Assert.Contains("Orchestrator: denied", denied.GetProperty("text").GetString());
        Assert.Contains("Bash(curl:*)", denied.GetProperty("text").GetString());
        var read = await NextAsync(lines, stderr, "result");
        Assert.Contains("first line", read.GetProperty("text").GetString());

        // The agent's token may not be asked: the call waits for an operator, who answers while the client waits.
        var approval = await WaitForApprovalAsync(server);
        Assert.Equal(ServerSetup.Agent, approval.GetProperty("agentId").GetString());
        using var operatorClient = new HttpClient { BaseAddress = server.Url };
        operatorClient.DefaultRequestHeaders.Authorization = new("Bearer", _setup.Tokens[ServerSetup.Operator]);
        var answered = await operatorClient.PostAsync($"/v1/approvals/{approval.GetProperty("approvalId").GetString()}",
            System.Net.Http.Json.JsonContent.Create(new { decision = "approve", scope = "once" }));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        var approved = await NextAsync(lines, stderr, "result");
        Assert.Equal("approved-by-operator", approved.GetProperty("text").GetString()!.Split('\n')[0]);
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
    }

    [Fact]
    public async Task Without_a_token_over_http_the_client_is_refused()
    {
        await using var server = await ServerProcess.StartAsync(_setup);
        var (client, lines, stderr) = StartClient(new { transport = "http", url = new Uri(server.Url, "/mcp").ToString() });
        using var _ = client;

        var error = await NextAsync(lines, stderr, "error");
        Assert.Contains("token", error.GetProperty("message").GetString());
    }

    private object Stdio(string elicit, double wait, params object[] calls) => new
    {
        transport = "stdio", command = ServerProcess.Executable, elicit = elicit.Length == 0 ? null : elicit,
        args = new[] { "mcp", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile, "--agent", "stdio-agent", "--wait",
            wait.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        env = _setup.CliEnvironment(), calls,
    };

    [Fact]
    public async Task Over_stdio_the_clients_user_answers_approvals_by_elicitation()
    {
        _setup.UseTokens = false;
        var (client, lines, stderr) = StartClient(Stdio("approve", 50, Bash("printf yes-by-elicitation"), Bash("curl https://example.com")));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        await NextAsync(lines, stderr, "tools");
        var asked = await NextAsync(lines, stderr, "elicited");
        Assert.Contains("printf yes-by-elicitation", asked.GetProperty("message").GetString());
        var approved = await NextAsync(lines, stderr, "result");
        Assert.Equal("yes-by-elicitation", approved.GetProperty("text").GetString()!.Split('\n')[0]);
        var denied = await NextAsync(lines, stderr, "result");
        Assert.True(denied.GetProperty("isError").GetBoolean());
        await client.WaitForExitAsync();
    }

    [Fact]
    public async Task Over_stdio_a_declined_elicitation_denies_the_call()
    {
        _setup.UseTokens = false;
        var (client, lines, stderr) = StartClient(Stdio("deny", 50, Bash("printf never")));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        await NextAsync(lines, stderr, "tools");
        await NextAsync(lines, stderr, "elicited");
        var denied = await NextAsync(lines, stderr, "result");
        Assert.True(denied.GetProperty("isError").GetBoolean());
        Assert.Contains("approval-denied", denied.GetProperty("text").GetString());
        await client.WaitForExitAsync();
    }

    [Fact]
    public async Task Over_stdio_a_call_not_answered_in_time_says_pending_approval_and_call_status_waits_for_the_operators_answer()
    {
        _setup.UseTokens = false;
        var (client, lines, stderr) = StartClient(Stdio("", 3, Bash("printf later"),
            new { name = "call_status", afterStdinLine = true, callIdFromPrevious = true, untilEnded = true }));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        await NextAsync(lines, stderr, "tools");
        var pending = await NextAsync(lines, stderr, "result");
        var text = pending.GetProperty("text").GetString()!;
        Assert.False(pending.GetProperty("isError").GetBoolean());
        Assert.Matches(@"^pending approval \S+: Bash: printf later", text);
        await NextAsync(lines, stderr, "waiting");

        // The operator answers with the CLI, through the server `orchestrator mcp` announced in the data directory.
        var approvalId = System.Text.RegularExpressions.Regex.Match(text, @"^pending approval (\S+):").Groups[1].Value;
        var approve = _setup.Cli("approvals", "approve", approvalId, "--data", _setup.Data);
        Assert.True(approve.ExitCode == 0, approve.ToString());
        client.StandardInput.WriteLine("go");
        // Each call_status waits at most --wait (3 s): on a loaded machine the approved run can outlast one, and the
        // answer then says so (as the first said "pending approval"); the client asks again, as it is told to.
        var done = await NextAsync(lines, stderr, "result", skipping: "still", check: skipped =>
            Assert.Matches(@"^call \S+ is still (approved|queued|executing|finished); call call_status with call_id ", skipped.GetProperty("text").GetString()));
        Assert.Equal("later", done.GetProperty("text").GetString()!.Split('\n')[0]);
        client.StandardInput.Close();
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
    }
}
