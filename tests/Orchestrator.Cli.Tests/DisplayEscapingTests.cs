using System.Net;
using System.Text;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// Issue 9 item 9: the real CLI never prints a control, bidi or invisible character raw. The server side is a stub that
/// answers with hostile text, as a compromised or careless server (or a hostile agent's input stored by it) could.
/// </summary>
public sealed class DisplayEscapingTests : IDisposable
{
    private const string Hostile = "touch src/x\r\u001b[2Kls -la src\u202e\u200b";
    private const string HostileJson = "touch src/x\\r\\u001b[2Kls -la src\\u202e\\u200b";
    private const string Shown = "touch src/x\\x0d\\x1b[2Kls -la src\\u202e\\u200b";
    private readonly CliRunner _cli = new();
    private readonly StubServer _server = new();

    public void Dispose()
    {
        _cli.Dispose();
        _server.Dispose();
    }

    private static void AssertNothingRaw(string output)
    {
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('\u202e', output);
        Assert.DoesNotContain('\u200b', output);
    }

    [Fact]
    public void Approvals_list_shows_control_and_bidi_characters_as_escapes()
    {
        _server.Answer("/v1/approvals", 200, $$"""
            {"approvals":[{"approvalId":"ap-1\u001b[1A","callId":"c-1","sessionId":"s\u202e1","agentId":"a-1","tool":"Bash",
              "subject":"{{HostileJson}}","summary":"Bash: {{HostileJson}}","reasonClass":"rule-ask","reason":"ask {{HostileJson}}",
              "requestedScope":"once","approverGroup":"operators","escalationLevel":0,
              "requestedAt":"2026-01-01T00:00:00Z","deadline":"2099-01-01T00:00:00Z"}]}
            """);

        var r = _cli.Run(["approvals", "list", "--server", _server.Url]);

        Assert.True(r.ExitCode == 0, r.ToString());
        AssertNothingRaw(r.Stdout);
        Assert.Contains($"ap-1\\x1b[1A  Bash: {Shown}", r.Stdout);
        Assert.Contains("session s\\u202e1", r.Stdout);
    }

    [Fact]
    public void Approvals_list_shows_one_page_and_says_how_many_are_pending_and_how_to_get_the_next()
    {
        _server.Answer("/v1/approvals", 200, """
            {"approvals":[{"approvalId":"ap-1","callId":"c-1","sessionId":"s-1","agentId":"a-1","tool":"Bash","subject":"git push",
              "summary":"Bash: git push","reasonClass":"rule-ask","reason":"ask","requestedScope":"once","approverGroup":"operators",
              "escalationLevel":0,"requestedAt":"2026-01-01T00:00:00Z","deadline":"2099-01-01T00:00:00Z"}],
             "next":"NEXT\u001b[2K","total":4321}
            """);

        var r = _cli.Run(["approvals", "list", "--server", _server.Url]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("ap-1  Bash: git push", r.Stdout);
        Assert.Contains("4321 pending in all; more: --cursor NEXT\\x1b[2K (or --all)", r.Stderr);
        AssertNothingRaw(r.Stderr);
    }

    [Fact]
    public void Approvals_list_json_is_the_same_json_with_nothing_raw()
    {
        // Control characters must be escaped in JSON; bidi and zero-width characters may come raw.
        var body = """{"approvals":[{"summary":"Bash: touch src/x\r\u001b[2Kls -la src""" + "\u202e\u200b\"}]}";
        _server.Answer("/v1/approvals", 200, body);

        var r = _cli.Run(["approvals", "list", "--json", "--server", _server.Url]);

        Assert.True(r.ExitCode == 0, r.ToString());
        AssertNothingRaw(r.Stdout);
        var summary = System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("approvals")[0].GetProperty("summary").GetString();
        Assert.Equal("Bash: touch src/x\r\u001b[2Kls -la src\u202e\u200b", summary);
    }

    [Fact]
    public void History_shows_control_and_bidi_characters_as_escapes()
    {
        _server.Answer("/v1/calls/c-1/events", 200, $$$"""
            {"callId":"c-1","sessionId":"s-1","events":[{"sequenceNr":1,"type":"call-completed.v1",
              "event":{"outcome":"denied","detail":"{{{HostileJson}}}"}}]}
            """);

        var r = _cli.Run(["history", "c-1", "--server", _server.Url]);

        Assert.True(r.ExitCode == 0, r.ToString());
        AssertNothingRaw(r.Stdout);
        Assert.Contains($"detail={Shown}", r.Stdout);
    }

    [Fact]
    public void A_server_error_is_shown_with_escapes_on_one_line()
    {
        _server.Answer("/v1/calls/c-2/events", 404, $$"""{"error":"no call {{HostileJson}}\nforged line"}""");

        var r = _cli.Run(["history", "c-2", "--server", _server.Url]);

        Assert.Equal(1, r.ExitCode);
        AssertNothingRaw(r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(Shown, r.Stderr);
    }

    [Fact]
    public void Check_shows_the_command_with_escapes()
    {
        var r = _cli.Check("--command", Hostile);

        AssertNothingRaw(r.Stdout);
        AssertNothingRaw(r.Stderr);
        Assert.Contains(Shown, r.Stdout);
    }

    [Fact]
    public void Check_json_stays_exact_json()
    {
        var r = _cli.Check("--command", Hostile, "--json");

        AssertNothingRaw(r.Stdout);
        Assert.Equal("ask", System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("decision").GetString());
    }

    /// <summary>A loopback HTTP server answering fixed bodies by path.</summary>
    private sealed class StubServer : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly Dictionary<string, (int Status, string Body)> _answers = [];

        public StubServer()
        {
            for (var attempt = 0; ; attempt++)
            {
                // A port the kernel just handed out is free; a listener that fails to start is disposed, so each try gets its own.
                var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    (_listener, Url) = (listener, $"http://127.0.0.1:{port}");
                    break;
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                }
            }
            _ = ServeAsync();
        }

        public string Url { get; private set; } = "";

        public void Answer(string path, int status, string body)
        {
            lock (_answers) _answers[path] = (status, body);
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                (int Status, string Body) answer;
                lock (_answers)
                    answer = _answers.GetValueOrDefault(context.Request.Url!.AbsolutePath, (404, """{"error":"not found"}"""));
                var bytes = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
