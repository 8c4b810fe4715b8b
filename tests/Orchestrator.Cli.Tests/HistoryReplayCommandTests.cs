using System.Text.Json;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// <c>orchestrator history</c> and <c>orchestrator replay</c> as a user runs them on a data directory no server holds
/// (<c>--data</c>): calls recorded by <c>orchestrator run</c> listed as a table and as JSON lines, filtered and paged;
/// the recorded policy replayed with no change, a stricter candidate changing exactly the call it names, the same
/// report through the read model and by scanning the journal; bad options refused in one clear line (exit 2).
/// </summary>
public sealed class HistoryReplayCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private string Data => Path.Combine(_cli.Root, "data");

    public void Dispose() => _cli.Dispose();

    /// <summary>Two denied calls and one that asks, none run (nobody answers), recorded by the local pipeline of <c>run</c>.</summary>
    private void RecordCalls()
    {
        foreach (var (agent, kind, rule, command) in new[]
                 {
                     ("alice", "--deny", "Bash(touch:*)", "touch nope"), ("bob", "--deny", "Bash(rm:*)", "rm -f nope"), ("alice", "--ask", "Bash(ls:*)", "ls"),
                 })
        {
            var r = _cli.Run(["run", "--data", Data, "--workspace", _cli.Project, "--agent", agent, kind, rule, "--", command]);
            Assert.True(r.ExitCode == 125, r.ToString());
        }
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void History_on_a_journal_no_server_holds_lists_filters_and_pages_as_a_table_and_as_json_lines()
    {
        RecordCalls();

        var table = _cli.Run(["history", "--data", Data]);
        Assert.True(table.ExitCode == 0, table.ToString());
        var rows = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("POSITION", rows[0]);
        Assert.Equal(4, rows.Length);
        Assert.Contains(rows, r => r.Contains("alice") && r.Contains("deny") && r.Contains("Bash(touch:*)") && r.Contains("touch nope"));
        Assert.Contains(rows, r => r.Contains("bob") && r.Contains("Bash(rm:*)"));

        var json = _cli.Run(["history", "--data", Data, "--json", "--agent", "alice"]);
        Assert.True(json.ExitCode == 0, json.ToString());
        var calls = Lines(json.Stdout);
        Assert.Equal(["ask", "deny"], calls.Select(c => c.GetProperty("decision").GetString()!).Order());
        Assert.All(calls, c => Assert.Equal("alice", c.GetProperty("agent").GetString()));

        var first = _cli.Run(["history", "--data", Data, "--json", "--limit", "2"]);
        Assert.Equal(2, Lines(first.Stdout).Count);
        var cursor = first.Stderr.Split("--cursor ")[1].Split(' ')[0];
        var rest = _cli.Run(["history", "--data", Data, "--json", "--limit", "2", "--cursor", cursor]);
        Assert.Equal("ls", Assert.Single(Lines(rest.Stdout)).GetProperty("subject").GetString());

        var none = _cli.Run(["history", "--data", Data, "--decision", "allow"]);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("no recorded calls match", none.Stdout.Trim());
    }

    [Theory]
    [InlineData("--decision", "maybe", "decision must be allow, ask or deny, not 'maybe'")]
    [InlineData("--outcome", "done", "outcome must be open or one of")]
    [InlineData("--from", "yesterday", "from must be an ISO 8601 time")]
    [InlineData("--limit", "0", "limit must be 1-1000, not '0'")]
    [InlineData("--cursor", "-3", "cursor must be the 'next' of a previous page")]
    public void History_refuses_a_bad_option_in_one_line(string option, string value, string error)
    {
        RecordCalls();
        var r = _cli.Run(["history", "--data", Data, option, value]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(error, r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Replay_on_a_journal_no_server_holds_changes_nothing_with_the_recorded_policy_and_exactly_the_named_call_with_a_stricter_one()
    {
        RecordCalls();

        var same = _cli.Run(["replay", "--data", Data, "--json"]);
        Assert.True(same.ExitCode == 0, same.ToString());
        var report = JsonDocument.Parse(same.Stdout).RootElement;
        Assert.Equal((3, 0, 0), (report.GetProperty("replayed").GetInt32(), report.GetProperty("changed").GetInt32(), report.GetProperty("undecidable").GetInt32()));

        var strict = _cli.Write("strict.json", "{\"permissions\":{\"deny\":[\"Bash(ls:*)\"]}}");
        var tightened = _cli.Run(["replay", "--data", Data, "--policy", strict]);
        Assert.True(tightened.ExitCode == 0, tightened.ToString());
        Assert.Contains("replayed 3 recorded calls", tightened.Stdout);
        Assert.Contains("1 would change verdict", tightened.Stdout);
        Assert.Contains("Bash(ls:*): ask → deny  1 call", tightened.Stdout);

        var scanned = _cli.Run(["replay", "--data", Data, "--policy", strict, "--json", "--scan"]);
        var modelled = _cli.Run(["replay", "--data", Data, "--policy", strict, "--json"]);
        Assert.True(scanned.ExitCode == 0, scanned.ToString());
        JsonElement Groups(CliRunner.Result r) => JsonDocument.Parse(r.Stdout).RootElement.GetProperty("byRule");
        Assert.Equal(Groups(modelled).GetRawText(), Groups(scanned).GetRawText());
    }

    [Fact]
    public void Replay_refuses_bad_options_in_one_line()
    {
        RecordCalls();
        foreach (var (args, error) in new (string[], string)[]
                 {
                     (["--policy", Path.Combine(_cli.Root, "missing.json")], "missing.json cannot be read"),
                     (["--from", "soon"], "from must be an ISO 8601 time"),
                     (["--replace"], "replace needs at least one policy file"),
                     (["--scan", "--server", "http://127.0.0.1:9"], "--scan reads a journal no server holds"),
                 })
        {
            var r = _cli.Run(["replay", "--data", Data, .. args]);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: {r}");
            Assert.Contains(error, r.Stderr);
        }
    }

    [Fact]
    public void History_and_replay_on_a_directory_without_a_journal_say_so()
    {
        foreach (var command in new[] { "history", "replay" })
        {
            var r = _cli.Run([command, "--data", Data]);
            Assert.True(r.ExitCode != 0, r.ToString());
            Assert.Contains(Data, r.Stderr);
        }
    }
}
