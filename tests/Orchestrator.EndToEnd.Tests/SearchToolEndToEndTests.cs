using System.Text.Json;
using Orchestrator.Sandbox.Tests.Tools;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Glob, Grep and WebFetch submitted to a real <c>orchestrator serve</c> over HTTP with intent execute: run by the server
/// itself under the project's policy (a .gitignored file and a Read-denied directory never searched, a fetch admitted by a
/// <c>WebFetch(domain:127.0.0.1)</c> allow rule, a redirect to a denied host refused), recorded, shown by
/// <c>orchestrator history</c>; bad input answered with why.
/// </summary>
public sealed class SearchToolEndToEndTests() : ToolCallEndToEnd("""
    { "permissions": { "allow": ["WebFetch(domain:127.0.0.1)"], "deny": ["Read(**/secret/**)", "WebFetch(domain:localhost)"] },
      "orchestrator": { "approvalPolicy": "on-request" } }
    """)
{
    private const string Managed = "dotnet", Ripgrep = "ripgrep";

    private static void AssertRan(JsonElement call)
    {
        Assert.True(call.GetProperty("outcome").GetString() == "allowed-and-ran", call.ToString());
        Assert.Equal("orchestrator-tools", call.GetProperty("execution").GetProperty("sandbox").GetString());
    }

    private static string Stdout(JsonElement call) => call.GetProperty("output").GetProperty("stdout").GetString()!;

    private static JsonElement ToolRecord(JsonElement call) => call.GetProperty("execution").GetProperty("tool");

    private void WriteTree()
    {
        Directory.CreateDirectory(InProject("src"));
        Directory.CreateDirectory(InProject("secret"));
        File.WriteAllText(InProject("src/a.txt"), "one needle\nplain\nneedle two\n");
        File.WriteAllText(InProject("src/b.txt"), "no match here\n");
        File.WriteAllText(InProject("notes.md"), "a needle in markdown\n");
        File.WriteAllText(InProject("ignored.txt"), "needle ignored\n");
        File.WriteAllText(InProject(".gitignore"), "ignored.txt\n");
        File.WriteAllText(InProject("secret/key.txt"), "needle SECRET-VALUE\n");
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(InProject("src/b.txt"), now.AddMinutes(-10));
        File.SetLastWriteTimeUtc(InProject("src/a.txt"), now.AddMinutes(-5));
    }

    [Theory]
    [InlineData(Ripgrep)]
    [InlineData(Managed)]
    public async Task Glob_and_grep_over_http_return_what_the_policy_shows_and_history_records_them(string engine)
    {
        // Without rg on the server's PATH, Grep runs on the .NET fallback.
        if (engine == Managed) Setup.Environment["PATH"] = Path.Combine(Setup.Root, "no-bin");
        WriteTree();
        await using var server = await ServerProcess.StartAsync(Setup);
        var project = Setup.Project;

        var (globStatus, glob) = await Submit(server, "g-1", "Glob", new { pattern = "**/*.txt", path = project });
        var (_, content) = await Submit(server, "s-1", "Grep", new { pattern = "needle", path = project, output_mode = "content" });
        var (_, files) = await Submit(server, "s-2", "Grep", new { pattern = "needle", path = project, output_mode = "files_with_matches" });
        var (_, count) = await Submit(server, "s-3", "Grep", new { pattern = "needle", path = project, output_mode = "count" });

        Assert.Equal(201, globStatus);
        foreach (var call in new[] { glob, content, files, count }) AssertRan(call);
        // Newest first; the ignored file is matched by the glob but the Read-denied one never appears.
        Assert.Equal(string.Join('\n', InProject("ignored.txt"), InProject("src/a.txt"), InProject("src/b.txt")), Stdout(glob));
        Assert.Equal(string.Join('\n', $"{InProject("notes.md")}:1:a needle in markdown", $"{InProject("src/a.txt")}:1:one needle",
            $"{InProject("src/a.txt")}:3:needle two"), Stdout(content));
        Assert.Equal(string.Join('\n', InProject("notes.md"), InProject("src/a.txt")), Stdout(files));
        Assert.Equal($"{InProject("notes.md")}:1\n{InProject("src/a.txt")}:2", Stdout(count));
        Assert.Equal(engine, ToolRecord(content).GetProperty("details").GetProperty("engine").GetString());

        var (_, recorded) = await server.GetAsync("/v1/calls/s-1");
        var record = ToolRecord(recorded);
        Assert.Equal(("Grep", project, "3"), (record.GetProperty("tool").GetString(), record.GetProperty("target").GetString(),
            record.GetProperty("details").GetProperty("lines").GetString()));
        Assert.Equal("3", ToolRecord((await server.GetAsync("/v1/calls/g-1")).Body).GetProperty("details").GetProperty("listed").GetString());
        foreach (var id in new[] { "g-1", "s-1", "s-3" })
        {
            var history = Setup.Cli("history", id, "--data", Setup.Data);
            Assert.True(history.ExitCode == 0, history.ToString());
            Assert.Contains("sandboxKind=orchestrator-tools", history.Stdout);
            Assert.Contains($"path={project}", history.Stdout);
            Assert.Contains("outcome=allowed-and-ran", history.Stdout);
        }
        Assert.DoesNotContain("SECRET-VALUE", string.Join('\n', Stdout(content), server.Log));
    }

    [Fact]
    public async Task A_fetch_admitted_by_a_domain_rule_runs_and_a_redirect_to_a_denied_host_is_refused()
    {
        using var web = new LocalWebServer();
        web.Text("/page", "text/html; charset=utf-8", "<html><body><h1>Hello</h1><p>A &amp; B</p></body></html>");
        web.Text("/final", "text/plain", "should not be reached");
        web.Redirect("/away", web.Url("localhost", "/final"));
        await using var server = await ServerProcess.StartAsync(Setup);

        var (status, page) = await Submit(server, "f-1", "WebFetch", new { url = web.Url("127.0.0.1", "/page"), prompt = "summarise" });
        var (_, away) = await Submit(server, "f-2", "WebFetch", new { url = web.Url("127.0.0.1", "/away"), prompt = "summarise" });

        Assert.Equal(201, status);
        AssertRan(page);
        Assert.Equal("Hello\n\nA & B", Stdout(page));
        var (_, recorded) = await server.GetAsync("/v1/calls/f-1");
        var record = ToolRecord(recorded);
        Assert.Equal(web.Url("127.0.0.1", "/page"), record.GetProperty("target").GetString());
        Assert.Equal("200", record.GetProperty("details").GetProperty("status").GetString());
        Assert.StartsWith("sha256:", record.GetProperty("digest").GetString());
        // The refusal comes from the executor at the redirect: the fetch ran and failed, the reply says why, /final is never requested.
        Assert.True(away.GetProperty("outcome").GetString() == "failed", away.ToString());
        Assert.Equal(1, away.GetProperty("exitCode").GetInt32());
        Assert.Contains("redirected to", away.GetProperty("detail").GetString());
        Assert.Contains("localhost", away.GetProperty("output").GetProperty("stderr").GetString());
        Assert.Equal("", Stdout(away));
        Assert.Equal(2, web.Requests);

        var history = Setup.Cli("history", "f-1", "--data", Setup.Data);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains($"url={web.Url("127.0.0.1", "/page")}", history.Stdout);
        Assert.DoesNotContain("file=", history.Stdout);
        var failed = Setup.Cli("history", "f-2", "--data", Setup.Data);
        Assert.Contains("outcome=failed", failed.Stdout);
        Assert.Contains("sandboxKind=orchestrator-tools", history.Stdout);
    }

    [Fact]
    public async Task Bad_search_and_fetch_input_is_answered_with_why_and_nothing_is_fetched()
    {
        WriteTree();
        using var web = new LocalWebServer();
        await using var server = await ServerProcess.StartAsync(Setup);

        var (_, mode) = await Submit(server, "b-2", "Grep", new { pattern = "needle", path = Setup.Project, output_mode = "lines" });
        var (_, scheme) = await Submit(server, "b-3", "WebFetch", new { url = "file:///etc/passwd", prompt = "x" });
        var (_, relative) = await Submit(server, "b-4", "Glob", new { pattern = "*.txt", path = "src" });

        foreach (var call in new[] { mode, relative })
            Assert.True(call.GetProperty("outcome").GetString() == "failed", call.ToString());
        // A non-http URL is refused by the policy itself, as invalid input.
        Assert.Equal(("denied", "invalid-input"), (scheme.GetProperty("outcome").GetString(), scheme.GetProperty("reasonClass").GetString()));
        foreach (var call in new[] { mode, scheme, relative })
            Assert.Equal(JsonValueKind.Null, call.GetProperty("execution").ValueKind);
        Assert.Contains("output_mode", mode.GetProperty("detail").GetString());
        Assert.Contains("is not an http(s) URL", scheme.GetProperty("detail").GetString());
        Assert.Contains("absolute path", relative.GetProperty("detail").GetString());
        Assert.Equal(0, web.Requests);
    }

    [Theory]
    [InlineData(Ripgrep)]
    [InlineData(Managed)]
    public async Task An_invalid_regex_is_refused_before_running_with_the_same_words_whichever_engine_would_search(string engine)
    {
        if (engine == Managed) Setup.Environment["PATH"] = Path.Combine(Setup.Root, "no-bin");
        WriteTree();
        await using var server = await ServerProcess.StartAsync(Setup);

        var (_, regex) = await Submit(server, "b-1", "Grep", new { pattern = "needle(", path = Setup.Project });

        Assert.True(regex.GetProperty("outcome").GetString() == "failed", regex.ToString());
        Assert.Equal("Grep: pattern 'needle(' is not a valid ripgrep regex: an unclosed '('", regex.GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, regex.GetProperty("execution").ValueKind);
    }
}
