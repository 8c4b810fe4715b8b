using System.Text.Json;
using static Orchestrator.EndToEnd.Tests.McpClientTests;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The MCP gateway (<c>--upstream</c>) in front of an MCP server we did not write — the reference
/// <c>@modelcontextprotocol/server-everything</c> from npm — driven by the official TypeScript SDK client: its tools
/// listed as <c>mcp__everything__…</c>, each call judged by <c>mcp__</c> rules and forwarded; a changed definition
/// flagged and asked about despite an allow rule; dead, silent and slow upstreams answered with a clear error.
/// </summary>
public sealed class McpGatewayTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public McpGatewayTests() =>
        _setup.WriteSettings("""
            { "permissions": { "allow": ["mcp__everything__echo", "mcp__everything__get-sum", "mcp__everything__trigger-long-running-operation"],
                               "deny": ["mcp__everything__get-env", "Bash(curl:*)"] },
              "orchestrator": { "approvalPolicy": "on-request" } }
            """);

    public void Dispose() => _setup.Dispose();

    private static string Everything =>
        $"everything=node {Path.Combine(ClientDirectory(), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")} stdio";

    private object Stdio(string elicit, string[] more, params object[] calls) => new
    {
        transport = "stdio", command = ServerProcess.Executable, elicit = elicit.Length == 0 ? null : elicit,
        args = new[] { "mcp", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile, "--wait", "50" }.Concat(more).ToArray(),
        env = _setup.CliEnvironment(), calls,
    };

    private static object Call(string name, object arguments) => new { name, arguments };

    [Fact]
    public async Task Over_stdio_an_upstreams_tools_are_listed_as_mcp_names_judged_by_mcp_rules_and_forwarded()
    {
        _setup.UseTokens = false;
        var (client, lines, stderr) = StartClient(Stdio("", ["--upstream", Everything, "--tool-timeout", "2"],
            Call("mcp__everything__echo", new { message = "through-the-gateway" }),
            Call("mcp__everything__get-sum", new { a = 2, b = 40 }),
            Call("mcp__everything__get-env", new { }),
            Call("mcp__everything__trigger-long-running-operation", new { duration = 60, steps = 2 })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        var tools = (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("bash", tools);
        Assert.Contains("mcp__everything__echo", tools);
        Assert.Contains("mcp__everything__get-sum", tools);

        var echoed = await NextAsync(lines, stderr, "result");
        Assert.False(echoed.GetProperty("isError").GetBoolean(), echoed.ToString());
        Assert.StartsWith("Echo: through-the-gateway", echoed.GetProperty("text").GetString());
        var sum = await NextAsync(lines, stderr, "result");
        Assert.Contains("42", sum.GetProperty("text").GetString());
        var denied = await NextAsync(lines, stderr, "result");
        Assert.True(denied.GetProperty("isError").GetBoolean());
        Assert.Contains("[mcp__everything__get-env]", denied.GetProperty("text").GetString());
        // An upstream slower than the tool timeout: the call ends (interrupted: it may have acted), the gateway goes on.
        var slow = await NextAsync(lines, stderr, "result");
        Assert.True(slow.GetProperty("isError").GetBoolean());
        Assert.Contains("did not answer trigger-long-running-operation within 2 s", slow.GetProperty("text").GetString());
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);

        // The upstream's answer is the call's recorded output (bounded, with its digest), beside the upstream and definition digest.
        var callId = System.Text.RegularExpressions.Regex.Match(echoed.GetProperty("text").GetString()!, @"\(call (\S+)\)").Groups[1].Value;
        var shown = _setup.Cli("history", "show", callId, "--data", _setup.Data, "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains($"\"head\":\"{Convert.ToBase64String("Echo: through-the-gateway"u8)}\"", shown.Stdout);
        Assert.Contains("\"stdoutDigest\":", shown.Stdout);
        Assert.Contains("\"target\":\"everything\"", shown.Stdout);
    }

    [Fact]
    public async Task A_tool_whose_definition_changed_since_it_was_first_seen_is_flagged_and_asks_despite_an_allow_rule_until_approved()
    {
        _setup.UseTokens = false;
        Directory.CreateDirectory(_setup.Data);
        var pins = Path.Combine(_setup.Data, "mcp-definitions.json");
        File.WriteAllText(pins, JsonSerializer.Serialize(new Dictionary<string, string> { ["mcp__everything__echo"] = new string('0', 64) }));
        var (client, lines, stderr) = StartClient(Stdio("approve", ["--upstream", Everything],
            Call("mcp__everything__echo", new { message = "asked-first" }),
            Call("mcp__everything__echo", new { message = "pinned-now" })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        var flagged = (await NextAsync(lines, stderr, "tools")).GetProperty("flagged").EnumerateArray().ToList();
        var echo = Assert.Single(flagged);
        Assert.Equal("mcp__everything__echo", echo.GetProperty("name").GetString());
        Assert.StartsWith("[definition changed", echo.GetProperty("description").GetString());

        var asked = await NextAsync(lines, stderr, "elicited");
        Assert.Contains("changed since it was first seen", asked.GetProperty("message").GetString());
        Assert.StartsWith("Echo: asked-first", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        // Approved and run: the new definition is pinned, so the allow rule applies again without asking.
        Assert.StartsWith("Echo: pinned-now", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
        var pinned = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(pins))!;
        Assert.NotEqual(new string('0', 64), pinned["mcp__everything__echo"]);
    }

    [Fact]
    public async Task An_upstream_that_dies_or_never_answers_gives_a_clear_error_and_the_gateway_keeps_serving()
    {
        _setup.UseTokens = false;
        var (client, lines, stderr) = StartClient(Stdio("", ["--upstream", "dead=node -e process.exit(3)", "--upstream", "silent=node -e setInterval(()=>{},1000)"],
            Call("mcp__dead__anything", new { }),
            Call("mcp__silent__anything", new { }),
            Call("bash", new { command = "echo still-serving" })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        var tools = (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains("bash", tools);
        Assert.DoesNotContain(tools, t => t!.StartsWith("mcp__"));
        var dead = await NextAsync(lines, stderr, "result");
        Assert.True(dead.GetProperty("isError").GetBoolean());
        Assert.Contains("upstream MCP server 'dead'", dead.GetProperty("text").GetString());
        var silent = await NextAsync(lines, stderr, "result");
        Assert.True(silent.GetProperty("isError").GetBoolean());
        Assert.Contains("upstream MCP server 'silent'", silent.GetProperty("text").GetString());
        Assert.True(silent.GetProperty("text").GetString()!.Contains("within 15 s", StringComparison.Ordinal), silent.GetProperty("text").GetString());
        Assert.StartsWith("still-serving", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        await client.WaitForExitAsync();
    }

    [Fact]
    public async Task An_upstream_served_over_streamable_http_is_fronted_the_same_way()
    {
        _setup.UseTokens = false;
        var port = FreePort();
        var info = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(ClientDirectory(), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js"));
        info.ArgumentList.Add("streamableHttp");
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var upstream = System.Diagnostics.Process.Start(info)!;
        var listening = new TaskCompletionSource();
        upstream.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("listening", StringComparison.OrdinalIgnoreCase) == true) listening.TrySetResult(); };
        upstream.BeginErrorReadLine();
        upstream.BeginOutputReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var (client, lines, stderr) = StartClient(Stdio("", ["--upstream", $"everything=http://127.0.0.1:{port}/mcp"],
                Call("mcp__everything__echo", new { message = "over-an-http-upstream" })));
            using var _ = client;

            await NextAsync(lines, stderr, "connected");
            Assert.Contains("mcp__everything__echo", (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()));
            Assert.StartsWith("Echo: over-an-http-upstream", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
            await client.WaitForExitAsync();
            Assert.Equal(0, client.ExitCode);
        }
        finally
        {
            upstream.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Over_http_serve_with_an_upstream_fronts_its_tools_for_an_agents_token()
    {
        _setup.ExtraArguments.AddRange(["--upstream", Everything]);
        await using var server = await ServerProcess.StartAsync(_setup);
        var (client, lines, stderr) = StartClient(new
        {
            transport = "http", url = new Uri(server.Url, "/mcp").ToString(), token = _setup.Tokens[ServerSetup.Agent],
            calls = new[] { Call("mcp__everything__echo", new { message = "over-http" }), Call("mcp__everything__get-env", new { }) },
        });
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        Assert.Contains("mcp__everything__echo", (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        Assert.StartsWith("Echo: over-http", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        Assert.True((await NextAsync(lines, stderr, "result")).GetProperty("isError").GetBoolean());
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
    }

    [Fact]
    public async Task Upstreams_named_in_the_settings_given_with_settings_are_fronted_like_upstream()
    {
        _setup.UseTokens = false;
        _setup.WriteSettings($$"""
            { "permissions": { "allow": ["mcp__everything__echo"] },
              "orchestrator": { "approvalPolicy": "on-request", "mcpUpstreams": [{{JsonSerializer.Serialize(Everything)}}] } }
            """);
        var (client, lines, stderr) = StartClient(Stdio("", [], Call("mcp__everything__echo", new { message = "from-settings" })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        Assert.Contains("mcp__everything__echo", (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        var echoed = await NextAsync(lines, stderr, "result");
        Assert.StartsWith("Echo: from-settings", echoed.GetProperty("text").GetString());
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
    }

    [Fact]
    public async Task Upstreams_in_a_workspaces_own_settings_are_never_started_and_the_policy_fails_closed()
    {
        _setup.UseTokens = false;
        var marker = Path.Combine(_setup.Root, "started");
        var workspaceSettings = Path.Combine(_setup.Project, ".orchestrator", "settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(workspaceSettings)!);
        File.WriteAllText(workspaceSettings, JsonSerializer.Serialize(new
        {
            permissions = new { allow = new[] { "Bash(echo:*)", "mcp__evil" } },
            orchestrator = new { mcpUpstreams = new[] { $"evil=touch {marker}" } },
        }));
        var (client, lines, stderr) = StartClient(Stdio("", [], Call("bash", new { command = "echo hi" })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        var tools = (await NextAsync(lines, stderr, "tools")).GetProperty("names").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.DoesNotContain(tools, t => t!.StartsWith("mcp__evil", StringComparison.Ordinal));
        var refused = await NextAsync(lines, stderr, "result");
        Assert.True(refused.GetProperty("isError").GetBoolean(), refused.ToString());
        await client.WaitForExitAsync();
        Assert.False(File.Exists(marker));
        var validate = _setup.Cli("policy", "validate", "--project", _setup.Project);
        Assert.NotEqual(0, validate.ExitCode);
        Assert.Contains("'mcpUpstreams' may be set only in managed, command-line (--settings) or user settings", validate.Stdout + validate.Stderr);
    }

    [Fact]
    public async Task An_upstream_that_says_its_tools_changed_is_listed_again_before_the_next_call_so_the_changed_tool_asks()
    {
        _setup.UseTokens = false;
        _setup.WriteSettings("""
            { "permissions": { "allow": ["mcp__mutating__greet", "mcp__mutating__mutate"] }, "orchestrator": { "approvalPolicy": "on-request" } }
            """);
        var mutating = $"mutating=node {Path.Combine(ClientDirectory(), "mutating-upstream.mjs")}";
        var (client, lines, stderr) = StartClient(Stdio("deny", ["--upstream", mutating],
            Call("mcp__mutating__greet", new { name = "before" }),
            Call("mcp__mutating__mutate", new { }),
            Call("mcp__mutating__greet", new { name = "after" })));
        using var _ = client;

        await NextAsync(lines, stderr, "connected");
        Assert.Empty((await NextAsync(lines, stderr, "tools")).GetProperty("flagged").EnumerateArray());
        Assert.StartsWith("hello before", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        Assert.StartsWith("mutated", (await NextAsync(lines, stderr, "result")).GetProperty("text").GetString());
        // The client did not list again: the gateway did, on the upstream's notifications/tools/list_changed.
        var asked = await NextAsync(lines, stderr, "elicited");
        Assert.Contains("changed since it was first seen", asked.GetProperty("message").GetString());
        var refused = await NextAsync(lines, stderr, "result");
        Assert.True(refused.GetProperty("isError").GetBoolean(), refused.ToString());
        await client.WaitForExitAsync();
        Assert.Equal(0, client.ExitCode);
    }
}
