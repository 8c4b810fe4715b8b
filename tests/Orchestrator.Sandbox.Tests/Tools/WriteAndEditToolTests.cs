using System.Security.Cryptography;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>Write, Edit and MultiEdit on a real filesystem: atomic changes with digests and diffs, and every refusal.</summary>
public sealed class WriteAndEditToolTests : IDisposable
{
    private readonly FileToolHarness _h = new(deny: ["Edit(./locked/**)"]);

    public void Dispose() => _h.Dispose();

    private static string Digest(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Write_creates_a_file_and_its_missing_directories_and_records_the_digests_and_diff()
    {
        var path = _h.InWorkspace("new/dir/file.txt");

        var write = await _h.WriteAsync(path, "one\ntwo\n");

        Assert.True(write.Succeeded, write.Error);
        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
        Assert.Null(write.Record!.BeforeDigest);
        Assert.Equal(Digest(path), write.Record.AfterDigest);
        Assert.Equal($"--- /dev/null\n+++ b{path}\n@@ -0,0 +1,2 @@\n+one\n+two\n", write.Record.Diff);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*orchestrator-tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Write_over_a_file_keeps_its_mode()
    {
        var path = _h.InWorkspace("run.sh");
        await File.WriteAllTextAsync(path, "echo old\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var before = Digest(path);

        var write = await _h.WriteAsync(path, "echo new\n");

        Assert.True(write.Succeeded, write.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Equal(before, write.Record!.BeforeDigest);
        Assert.Contains("-echo old\n+echo new\n", write.Record.Diff);
    }

    [Fact]
    public async Task Edit_replaces_a_unique_match_and_records_a_unified_diff()
    {
        var path = _h.InWorkspace("code.cs");
        await File.WriteAllTextAsync(path, "a\nb\nc\nd\ne\nf\ng\nh\n");

        var edit = await _h.EditAsync(path, "e\n", "E\n");

        Assert.True(edit.Succeeded, edit.Error);
        Assert.Equal("a\nb\nc\nd\nE\nf\ng\nh\n", File.ReadAllText(path));
        Assert.Equal($"--- a{path}\n+++ b{path}\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n", edit.Record!.Diff);
        Assert.Equal(Digest(path), edit.Record.AfterDigest);
    }

    [Fact]
    public async Task Edit_refuses_a_missing_or_repeated_match_and_equal_strings_and_changes_nothing()
    {
        var path = _h.InWorkspace("twice.txt");
        await File.WriteAllTextAsync(path, "x = 1\nx = 1\n");
        var before = Digest(path);

        Assert.Contains("occurs 2 times", (await _h.EditAsync(path, "x = 1", "x = 2")).Error);
        Assert.Contains("was not found", (await _h.EditAsync(path, "y = 1", "y = 2")).Error);
        Assert.Contains("are the same", (await _h.EditAsync(path, "x = 1", "x = 1")).Error);
        Assert.Contains("does not exist", (await _h.EditAsync(_h.InWorkspace("absent.txt"), "a", "b")).Error);
        Assert.Equal(before, Digest(path));

        var all = await _h.EditAsync(path, "x = 1", "x = 2", replaceAll: true);
        Assert.Equal("x = 2\nx = 2\n", File.ReadAllText(path));
        Assert.Contains("2 replacements", all.Output);
    }

    [Fact]
    public async Task Edit_refuses_a_file_that_is_not_utf8_text()
    {
        var path = _h.InWorkspace("latin1.txt");
        await File.WriteAllBytesAsync(path, [0x63, 0x61, 0x66, 0xe9]);

        Assert.Contains("is not UTF-8 text", (await _h.EditAsync(path, "caf", "CAF")).Error);
        Assert.Equal([0x63, 0x61, 0x66, 0xe9], File.ReadAllBytes(path));
    }

    [Fact]
    public async Task MultiEdit_applies_all_edits_in_order_or_none()
    {
        var path = _h.InWorkspace("multi.txt");
        await File.WriteAllTextAsync(path, "red green blue\n");
        ToolCall MultiEdit(string edits) => FileToolHarness.Call(ToolNames.MultiEdit, ("file_path", path), ("edits", edits));

        var failed = await _h.RunAsync(MultiEdit("""[{"old_string":"red","new_string":"RED"},{"old_string":"purple","new_string":"x"}]"""));
        Assert.Contains("edit 2 of 2", failed.Error);
        Assert.Equal("red green blue\n", File.ReadAllText(path));

        var done = await _h.RunAsync(MultiEdit("""[{"old_string":"red","new_string":"green"},{"old_string":"green","new_string":"G","replace_all":true}]"""));
        Assert.True(done.Succeeded, done.Error);
        Assert.Equal("G G blue\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("[]", "is empty")]
    [InlineData("{}", "must be an array")]
    [InlineData("""[{"old_string":"a"}]""", "needs old_string and new_string")]
    [InlineData("""[{"old_string":"a","new_string":1}]""", "wrong type")]
    [InlineData("""[{"old_string":"a","new_string":"a"}]""", "are the same")]
    public async Task MultiEdit_refuses_malformed_edits_before_running(string edits, string expected)
    {
        var result = await _h.RunAsync(FileToolHarness.Call(ToolNames.MultiEdit, ("file_path", _h.InWorkspace("m.txt")), ("edits", edits)));

        Assert.StartsWith("invalid: ", result.Error);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task Writes_outside_the_writable_roots_into_protected_paths_or_under_an_edit_deny_rule_are_refused()
    {
        Directory.CreateDirectory(_h.InWorkspace(".git"));
        await File.WriteAllTextAsync(_h.InWorkspace(".git/config"), "[core]\n");

        Assert.Contains("outside the writable roots", (await _h.WriteAsync(_h.Canary, "pwned")).Error);
        Assert.Contains("protected path", (await _h.WriteAsync(_h.InWorkspace(".git/config"), "pwned")).Error);
        Assert.Contains("protected path", (await _h.WriteAsync(_h.InWorkspace("sub/.vscode/settings.json"), "{}")).Error);
        Assert.Contains("protected path", (await _h.WriteAsync(_h.InWorkspace(".envrc"), "export X=1")).Error);
        Assert.Contains("denied by the deny rule Edit(./locked/**)", (await _h.WriteAsync(_h.InWorkspace("locked/a.txt"), "x")).Error);
        Assert.Equal(FileToolHarness.CanaryText, File.ReadAllText(_h.Canary));
        Assert.Equal("[core]\n", File.ReadAllText(_h.InWorkspace(".git/config")));
        Assert.False(Directory.Exists(_h.InWorkspace("sub/.vscode")));
        Assert.False(File.Exists(_h.InWorkspace(".envrc")));
    }

    [Fact]
    public async Task The_read_only_mode_allows_no_writes_and_danger_full_access_writes_outside_the_roots()
    {
        var inside = _h.InWorkspace("ro.txt");

        Assert.Contains("read-only mode allows no writes", (await _h.WriteAsync(inside, "x", SandboxMode.ReadOnly)).Error);
        Assert.False(File.Exists(inside));

        var outside = Path.Combine(_h.Outside, "free.txt");
        Assert.True((await _h.WriteAsync(outside, "free", SandboxMode.DangerFullAccess)).Succeeded);
        Assert.Equal("free", File.ReadAllText(outside));
    }

    [Fact]
    public async Task A_link_inside_the_workspace_that_points_outside_is_judged_by_its_target()
    {
        File.CreateSymbolicLink(_h.InWorkspace("out"), _h.Outside);

        var write = await _h.WriteAsync(_h.InWorkspace("out/canary.txt"), "pwned");
        var edit = await _h.EditAsync(_h.InWorkspace("out/canary.txt"), "canary", "pwned");

        Assert.Contains("outside the writable roots", write.Error);
        Assert.Contains("outside the writable roots", edit.Error);
        Assert.Equal(FileToolHarness.CanaryText, File.ReadAllText(_h.Canary));
    }

    [Fact]
    public async Task A_write_over_the_cap_is_refused_and_writes_nothing()
    {
        _h.Limits = _h.Limits with { MaxWriteBytes = 1024 };
        var path = _h.InWorkspace("big.txt");

        var write = await _h.WriteAsync(path, new string('z', 2048));

        Assert.Contains("more than the 1,024-byte cap", write.Error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Two_agents_editing_one_file_at_once_one_wins_the_other_gets_a_conflict_and_the_file_is_never_half_written()
    {
        var path = _h.InWorkspace("shared.txt");
        for (var round = 0; round < 50; round++)
        {
            await File.WriteAllTextAsync(path, "value = start\n" + new string('.', 100_000) + "\n");
            var start = new TaskCompletionSource();
            var a = Task.Run(async () => { await start.Task; return await _h.EditAsync(path, "value = start", "value = A"); });
            var b = Task.Run(async () => { await start.Task; return await _h.EditAsync(path, "value = start", "value = B"); });
            start.SetResult();
            var results = await Task.WhenAll(a, b);

            Assert.Single(results, r => r.Succeeded);
            var loser = results.Single(r => !r.Succeeded);
            Assert.True(loser.Error!.StartsWith("conflict: ") || loser.Error.Contains("old_string was not found"), loser.Error);
            var text = File.ReadAllText(path);
            Assert.True(text.StartsWith("value = A\n") || text.StartsWith("value = B\n"), text[..20]);
            Assert.Equal(100_011, text.Length);
        }
    }
}
