namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Read, Write, Edit and MultiEdit submitted to a real <c>orchestrator serve</c> over HTTP with intent execute: run by
/// the server itself, answered with their output, recorded with digests, range and diff, shown by
/// <c>orchestrator history</c>; refusals (protected path, bad input, oversized body) change nothing.
/// </summary>
public sealed class FileToolEndToEndTests() : ToolCallEndToEnd("""{ "orchestrator": { "approvalPolicy": "on-request" } }""")
{

    [Fact]
    public async Task File_tools_run_over_http_and_their_history_shows_what_they_read_and_changed()
    {
        await using var server = await ServerProcess.StartAsync(Setup);
        var file = InProject("notes.md");

        var (writeStatus, write) = await Submit(server, "w-1", "Write", new { file_path = file, content = "# Notes\nfirst\n" });
        var (_, edit) = await Submit(server, "e-1", "Edit", new { file_path = file, old_string = "first", new_string = "second" });
        var (_, multi) = await Submit(server, "m-1", "MultiEdit",
            new { file_path = file, edits = new object[] { new { old_string = "# Notes", new_string = "# Log" }, new { old_string = "second", new_string = "third" } } });
        var (_, read) = await Submit(server, "r-1", "Read", new { file_path = file, offset = 2, limit = 1 });

        Assert.Equal(201, writeStatus);
        foreach (var call in new[] { write, edit, multi, read })
        {
            Assert.True(call.GetProperty("outcome").GetString() == "allowed-and-ran", call.ToString());
            Assert.Equal("orchestrator-tools", call.GetProperty("execution").GetProperty("sandbox").GetString());
        }
        Assert.Equal("# Log\nthird\n", File.ReadAllText(file));
        Assert.Equal("     2\tthird\n", read.GetProperty("output").GetProperty("stdout").GetString());
        var readRecord = read.GetProperty("execution").GetProperty("tool");
        Assert.Equal((6, 12), (readRecord.GetProperty("rangeStart").GetInt32(), readRecord.GetProperty("rangeEnd").GetInt32()));
        Assert.Equal(edit.GetProperty("execution").GetProperty("tool").GetProperty("afterDigest").GetString(),
            multi.GetProperty("execution").GetProperty("tool").GetProperty("beforeDigest").GetString());

        var (_, again) = await server.GetAsync("/v1/calls/e-1");
        Assert.Contains("-first\n+second\n", again.GetProperty("execution").GetProperty("tool").GetProperty("diff").GetString());
        var history = Setup.Cli("history", "e-1", "--data", Setup.Data);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("sandboxKind=orchestrator-tools", history.Stdout);
        Assert.Contains($"file={file}", history.Stdout);
        Assert.Contains("        -first", history.Stdout);
        Assert.Contains("        +second", history.Stdout);
    }

    [Fact]
    public async Task Refused_file_calls_over_http_say_why_and_change_nothing()
    {
        Directory.CreateDirectory(InProject(".git"));
        File.WriteAllText(InProject(".git/config"), "[core]\n");
        await using var server = await ServerProcess.StartAsync(Setup);

        var (_, protectedWrite) = await Submit(server, "p-1", "Write", new { file_path = InProject(".git/config"), content = "pwned" });
        var (relativeStatus, relative) = await Submit(server, "x-1", "Read", new { file_path = "notes.md" });
        var (_, same) = await Submit(server, "x-2", "Edit", new { file_path = InProject("a.txt"), old_string = "a", new_string = "a" });
        var (typeStatus, _) = await Submit(server, "x-3", "Read", new { file_path = InProject("a.txt"), limit = "ten" });
        var (bigStatus, _) = await Submit(server, "x-4", "Write", new { file_path = InProject("big.txt"), content = new string('z', 2 * 1024 * 1024) });

        // A protected path is never written unasked: the call waits for an operator.
        Assert.Equal("awaiting-approval", protectedWrite.GetProperty("status").GetString());
        // A relative path is refused at ingress, before the policy judges it: a 400, nothing recorded.
        Assert.Equal(400, relativeStatus);
        Assert.Contains("input.file_path must be an absolute path", relative.ToString());
        Assert.Equal(404, (await server.GetAsync("/v1/calls/x-1")).Status);
        Assert.Contains("old_string and new_string are the same", same.GetProperty("detail").GetString());
        Assert.Equal(400, typeStatus);
        Assert.Equal(413, bigStatus);
        Assert.Equal("[core]\n", File.ReadAllText(InProject(".git/config")));
        Assert.False(File.Exists(InProject("a.txt")));
        Assert.False(File.Exists(InProject("big.txt")));
    }

    [Fact]
    public async Task Tool_limits_given_to_serve_are_applied_to_the_calls_it_runs()
    {
        File.WriteAllText(InProject("big.txt"), new string('x', 100) + "\n");
        File.WriteAllText(InProject("small.txt"), "needle\nneedle\n");
        Setup.ExtraArguments.AddRange(["--read-max-bytes", "64", "--write-max-bytes", "8", "--glob-max-results", "1", "--grep-max-lines", "1"]);
        await using var server = await ServerProcess.StartAsync(Setup);

        var (_, read) = await Submit(server, "l-1", "Read", new { file_path = InProject("big.txt") });
        var (_, write) = await Submit(server, "l-2", "Write", new { file_path = InProject("new.txt"), content = "more than eight bytes" });
        var (_, glob) = await Submit(server, "l-3", "Glob", new { pattern = "*.txt", path = Setup.Project });
        var (_, grep) = await Submit(server, "l-4", "Grep", new { pattern = "needle", path = InProject("small.txt"), output_mode = "content" });

        Assert.True(read.GetProperty("outcome").GetString() == "failed", read.ToString());
        Assert.Contains("more than the 64 bytes Read returns at once", read.GetProperty("detail").GetString());
        Assert.Contains("more than the 8-byte cap on a Write", write.GetProperty("detail").GetString());
        Assert.False(File.Exists(InProject("new.txt")));
        Assert.Equal("1", glob.GetProperty("execution").GetProperty("tool").GetProperty("details").GetProperty("listed").GetString());
        Assert.Equal($"{InProject("small.txt")}:1:needle\n(Output cut at 1 lines.)", grep.GetProperty("output").GetProperty("stdout").GetString());
    }

    [Theory]
    [InlineData("--read-max-bytes", "0")]
    [InlineData("--tool-timeout", "0.5")]
    [InlineData("--grep-max-lines", "2000000")]
    public void An_out_of_range_tool_limit_is_refused_before_serve_starts(string option, string value)
    {
        var result = Setup.Cli("serve", "--data", Setup.Data, option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{option} must be between", result.Stderr);
    }
}
