using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The hook events' records (issue 13 item 1) against a real server killed with SIGKILL and restarted.</summary>
public abstract partial class CrashRecoveryTests
{
    private const string Rules = """ "permissions": { "deny": ["Bash(curl:*)"], "ask": ["Bash(printf:*)"] }, "orchestrator": { "approvalPolicy": "on-request" } """;

    /// <summary>An executable bash script under the test's root (outside the workspace), by absolute path.</summary>
    private string HookScript(string name, string body)
    {
        var path = Path.Combine(_setup.Root, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    [Fact]
    public async Task A_crash_while_the_post_hooks_run_records_them_as_not_run_and_neither_they_nor_the_command_run_again()
    {
        var gate = Path.Combine(_setup.Root, "post-gate");
        var started = Path.Combine(_setup.Root, "post-started");
        var hook = HookScript("post.sh", $"cat > /dev/null; echo post >> '{started}'; while [ ! -e '{gate}' ]; do sleep 0.05; done");
        _setup.WriteSettings($$"""{ {{Rules}}, "hooks": { "PostToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "{{hook}}", "timeout": 120 } ] } ] } }""");
        try
        {
            await using (var server = await ServerProcess.StartAsync(_setup))
            {
                var (status, body) = await server.PostAsync("/v1/calls", Call("post-1", "echo ran >> side.txt"));
                Assert.True(status is 201 or 202, $"{status} {body}");
                await Poll.UntilAsync(() => File.Exists(started), exists => exists, "the post hook starting", Patience, () => server.Log);
                server.Kill();
            }

            await using (var server = await ServerProcess.StartAsync(_setup))
            {
                var call = await server.AwaitCallAsync("post-1", c => Text(c, "status") == "completed", Patience);
                Assert.Equal("allowed-and-ran", Text(call, "outcome"));
                Assert.Equal(0, call.GetProperty("exitCode").GetInt32());
                var post = call.GetProperty("postHooks");
                Assert.Equal("PostToolUse", Text(post, "event"));
                Assert.Contains("restarted", Text(post, "notRun"));
                Assert.Equal(["call-received-and-decided.v1", "execution-started.v1", "execution-finished.v1", "post-tool-hooks-ran.v1", "call-completed.v1"],
                    await EventTypesAsync(server, "post-1"));
            }
        }
        finally
        {
            File.WriteAllText(gate, "");
        }
        Assert.Equal(["ran"], SideLines());
        Assert.Equal(["post"], File.ReadAllLines(started));
    }

    [Fact]
    public async Task A_PermissionRequest_allow_and_post_hook_context_survive_the_crash_as_recorded()
    {
        var permission = HookScript("permission.sh",
            """cat > /dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}'""");
        var post = HookScript("post.sh", """cat > /dev/null; echo '{"hookSpecificOutput":{"hookEventName":"PostToolUse","additionalContext":"checked"}}'""");
        _setup.WriteSettings($$"""
            { {{Rules}}, "hooks": {
                "PermissionRequest": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "{{permission}}" } ] } ],
                "PostToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "{{post}}" } ] } ] } }
            """);
        JsonElement before;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("permission-1", "printf hi", wait: 60));
            Assert.True(status == 201, $"{status} {body}");
            Assert.Equal("hook-allow", Text(body, "reasonClass"));
            Assert.Equal("hi", Text(body.GetProperty("output"), "stdout"));
            Assert.Equal("checked", body.GetProperty("postHooks").GetProperty("additionalContext")[0].GetString());
            before = body.Clone();
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (_, after) = await server.GetAsync("/v1/calls/permission-1");
            foreach (var field in new[] { "status", "outcome", "decision", "reasonClass", "reason" })
                Assert.Equal(Text(before, field), Text(after, field));
            Assert.Equal(before.GetProperty("postHooks").GetRawText(), after.GetProperty("postHooks").GetRawText());
            Assert.False(after.TryGetProperty("pendingApproval", out var pending) && pending.ValueKind != JsonValueKind.Null, "an approval was raised");
            var (_, events) = await server.GetAsync("/v1/calls/permission-1/events");
            Assert.Contains("\"PermissionRequest\"", events.GetRawText());
            Assert.Equal(["call-received.v1", "call-decided.v1", "execution-started.v1", "execution-finished.v1", "post-tool-hooks-ran.v1", "call-completed.v1"],
                await EventTypesAsync(server, "permission-1"));
        }
    }
}
