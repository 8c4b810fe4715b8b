using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// DESIGN §2's crash-recovery table against a real server process killed with SIGKILL at each stage and restarted on
/// the same journal. Side effects are lines appended to a file, so a second execution would show.
/// </summary>
public abstract partial class CrashRecoveryTests(Backend backend) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ServerSetup _setup = new(backend);

    public void Dispose()
    {
        _setup.Dispose();
        GC.SuppressFinalize(this);
    }

    private string SideFile => Path.Combine(_setup.Project, "side.txt");

    private string[] SideLines() => File.Exists(SideFile) ? File.ReadAllLines(SideFile) : [];

    private object Call(string id, string command, string intent = "execute", double wait = 0) => new
    {
        id, agentId = "agent-1", sessionId = "crash-session", tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd = _setup.Project, intent, wait,
    };

    private static string Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static async Task<string[]> EventTypesAsync(ServerProcess server, string id)
    {
        var (status, body) = await server.GetAsync($"/v1/calls/{id}/events");
        Assert.Equal(200, status);
        return [.. body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
    }

    [Fact]
    public async Task A_call_received_but_not_decided_is_decided_after_the_restart()
    {
        var gate = Path.Combine(_setup.Root, "gate");
        _setup.WriteSettings($$"""
            { "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "while [ ! -e '{{gate}}' ]; do sleep 0.05; done" } ] } ] } }
            """);
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("received-1", "ls", intent: "decide-only"));
            Assert.True(status == 202, $"{status} {body}");
            Assert.Equal("received", Text(body, "status"));
            server.Kill();
        }
        File.WriteAllText(gate, "");

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var call = await server.AwaitCallAsync("received-1", c => Text(c, "status") == "completed", Patience);
            Assert.Equal("allow", Text(call, "decision"));
            Assert.Equal("decided-only", Text(call, "outcome"));
            Assert.Equal(["call-received.v1", "call-decided.v1", "call-completed.v1"], await EventTypesAsync(server, "received-1"));
        }
    }

    [Fact]
    public async Task A_pending_approval_survives_with_its_id_and_deadline_and_the_cli_approves_it_once()
    {
        string approvalId, deadline;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("approval-1", "printf '%s\\n' approved >> side.txt"));
            Assert.True(status == 202, $"{status} {body}");
            Assert.Equal("awaiting-approval", Text(body, "status"));
            approvalId = Text(body.GetProperty("pendingApproval"), "approvalId");
            deadline = body.GetProperty("pendingApproval").GetProperty("deadline").GetRawText();
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (_, approvals) = await server.GetAsync("/v1/approvals");
            var pending = Assert.Single(approvals.GetProperty("approvals").EnumerateArray());
            Assert.Equal(approvalId, Text(pending, "approvalId"));
            Assert.Equal(deadline, pending.GetProperty("deadline").GetRawText());

            var listed = RunCli("approvals", "list", "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator]);
            Assert.True(listed.ExitCode == 0 && listed.Stdout.Contains(approvalId) && listed.Stdout.Contains("printf"), listed.ToString());

            var cli = RunCli("approvals", "approve", approvalId, "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator]);
            Assert.True(cli.ExitCode == 0, cli.ToString());
            var call = await server.AwaitCallAsync("approval-1", c => Text(c, "status") == "completed", Patience);
            Assert.Equal("allowed-and-ran", Text(call, "outcome"));

            var again = RunCli("approvals", "approve", approvalId, "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.SecondOperator]);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains(ServerSetup.Operator, again.Stderr);
        }
        Assert.Equal(["approved"], SideLines());
    }

    private object TeamCall(string id, string session, string? parent, string command, double wait = 30) => new
    {
        id, agentId = "agent-1", sessionId = session, parentSessionId = parent, tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd = _setup.Project, intent = "execute", wait,
    };

    [Fact]
    public async Task A_team_grant_and_a_sessions_declared_parent_survive_a_sigkill_and_cover_a_sub_session_declared_after_the_restart()
    {
        const string command = "printf '%s\\n' team >> side.txt";
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            Assert.Equal(201, (await server.PostAsync("/v1/calls", TeamCall("team-lead-1", "team-lead", null, "true"))).Status);
            var (status, body) = await server.PostAsync("/v1/calls", TeamCall("team-sub-1", "team-sub", "team-lead", command, wait: 0));
            Assert.True(status == 202 && Text(body, "status") == "awaiting-approval", $"{status} {body}");
            var approvalId = Text(body.GetProperty("pendingApproval"), "approvalId");
            var (_, approvals) = await server.GetAsync("/v1/approvals");
            Assert.Equal("team-lead", Text(Assert.Single(approvals.GetProperty("approvals").EnumerateArray()), "parentSessionId"));

            var listed = RunCli("approvals", "list", "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator]);
            Assert.True(listed.ExitCode == 0 && listed.Stdout.Contains("sub-agent of session team-lead"), listed.ToString());
            var answered = RunCli("approvals", "approve", approvalId, "--scope", "team", "--server", server.Url.ToString(),
                "--token", _setup.Tokens[ServerSetup.Operator]);
            Assert.True(answered.ExitCode == 0, answered.ToString());
            await server.AwaitCallAsync("team-sub-1", c => Text(c, "status") == "completed", Patience);
            var (_, grants) = await server.GetAsync("/v1/grants");
            var grant = Assert.Single(grants.GetProperty("grants").EnumerateArray());
            Assert.Equal("team", Text(grant, "scope"));
            Assert.Equal("team-lead", Text(grant, "sessionId"));
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            // The sub-session keeps its parent (no parentSessionId sent now), a sub-session declared after the restart
            // joins the team, and the parent itself is covered: none of them asks.
            foreach (var (id, session, parent) in new[] { ("team-sub-2", "team-sub", (string?)null), ("team-new-1", "team-new", "team-lead"),
                         ("team-lead-2", "team-lead", null) })
            {
                var (status, body) = await server.PostAsync("/v1/calls", TeamCall(id, session, parent, command));
                Assert.True(status == 201 && Text(body, "outcome") == "allowed-and-ran", $"{id}: {status} {body}");
            }
            var (changed, conflict) = await server.PostAsync("/v1/calls", TeamCall("team-sub-3", "team-sub", "team-new", command, wait: 0));
            Assert.True(changed == 409, $"{changed} {conflict}");
            var (_, stranger) = await server.PostAsync("/v1/calls", TeamCall("team-stranger-1", "team-stranger", null, command, wait: 0));
            Assert.Equal("awaiting-approval", Text(stranger, "status"));
            var (_, events) = await server.GetAsync("/v1/calls/team-sub-2/events");
            // The call a sub-session received after the restart is recorded with the parent its session keeps.
            var recorded = events.GetRawText();
            Assert.True(recorded.Contains("\"team-lead\"", StringComparison.Ordinal), recorded);
        }
        Assert.Equal(["team", "team", "team", "team"], SideLines());
    }

    [Fact]
    public async Task An_approval_deadline_keeps_counting_while_the_server_is_down()
    {
        _setup.ApprovalTimeoutSeconds = 3;
        DateTimeOffset deadline;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("deadline-1", "printf x >> side.txt"));
            Assert.True(status == 202, $"{status} {body}");
            deadline = body.GetProperty("pendingApproval").GetProperty("deadline").GetDateTimeOffset();
            server.Kill();
        }
        // The server stays down until the approval's own deadline has passed: what is tested is the wall clock.
        if (deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left) await Task.Delay(left + TimeSpan.FromMilliseconds(200));

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var call = await server.AwaitCallAsync("deadline-1", c => Text(c, "status") == "completed", Patience);
            Assert.Equal("approval-timed-out", Text(call, "outcome"));
        }
        Assert.Empty(SideLines());
    }

    [Fact]
    public async Task A_call_executing_at_the_crash_is_recorded_interrupted_and_never_run_again()
    {
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("running-1", "echo started >> side.txt; sleep 15"));
            Assert.True(status is 201 or 202, $"{status} {body}");
            await Poll.UntilAsync(SideLines, lines => lines.Length > 0, "the command starting", Patience, () => server.Log);
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var call = await server.AwaitCallAsync("running-1", c => Text(c, "status") == "interrupted", Patience);
            Assert.Equal("interrupted", Text(call, "outcome"));
            Assert.Contains("not run again", Text(call, "detail"));

            var (resubmitted, body) = await server.PostAsync("/v1/calls", Call("running-1", "echo started >> side.txt; sleep 15"));
            Assert.Equal(200, resubmitted);
            Assert.Equal("interrupted", Text(body, "status"));
            Assert.Equal(["call-received-and-decided.v1", "execution-started.v1", "call-interrupted.v1"], await EventTypesAsync(server, "running-1"));
        }
        Assert.Equal(["started"], SideLines());
    }

    [Fact]
    public async Task A_finished_call_is_unchanged_after_the_crash_and_a_resubmission_returns_it()
    {
        JsonElement before;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("finished-1", "echo done >> side.txt; echo out", wait: 60));
            Assert.True(status == 201, $"{status} {body}");
            Assert.Equal("allowed-and-ran", Text(body, "outcome"));
            Assert.Equal("out\n", Text(body.GetProperty("output"), "stdout"));
            before = body;
            server.Kill();
        }

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (_, after) = await server.GetAsync("/v1/calls/finished-1");
            foreach (var field in new[] { "status", "outcome", "decision", "reasonClass" })
                Assert.Equal(Text(before, field), Text(after, field));
            Assert.Equal(before.GetProperty("exitCode").GetInt32(), after.GetProperty("exitCode").GetInt32());
            Assert.Equal(before.GetProperty("execution").GetProperty("stdoutDigest").GetString(),
                after.GetProperty("execution").GetProperty("stdoutDigest").GetString());

            var (resubmitted, again) = await server.PostAsync("/v1/calls", Call("finished-1", "echo done >> side.txt; echo out", wait: 60));
            Assert.Equal(200, resubmitted);
            Assert.Equal(before.GetProperty("output").GetRawText(), again.GetProperty("output").GetRawText());
            Assert.Equal(before.GetProperty("output").GetRawText(), after.GetProperty("output").GetRawText());
            Assert.Equal(["call-received-and-decided.v1", "execution-started.v1", "execution-finished.v1", "call-completed.v1"],
                await EventTypesAsync(server, "finished-1"));
            var history = RunCli("history", "finished-1", "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator]);
            Assert.True(history.ExitCode == 0 && history.Stdout.Contains("execution-finished.v1") && history.Stdout.Contains("outcome=allowed-and-ran"),
                history.ToString());
        }
        Assert.Equal(["done"], SideLines());
        // The journal is where the backend says: a SQLite file under --data, or nothing on disk with PostgreSQL.
        Assert.Equal(backend == Backend.Sqlite, File.Exists(Path.Combine(_setup.Data, "orchestrator.db")));
    }

    [Fact]
    public async Task The_bounded_output_of_a_call_finished_just_before_the_crash_is_served_the_same_after_the_restart()
    {
        // ~170 KB on stdout: more than the 32 KiB kept at each end, so the middle is dropped and counted.
        const string command = "seq 1 30000; echo 'to stderr' >&2";
        JsonElement before;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("output-1", command, wait: 60));
            Assert.True(status == 201, $"{status} {body}");
            before = body.GetProperty("output").Clone();
            server.Kill();
        }
        var stdout = Text(before, "stdout");
        Assert.StartsWith("1\n2\n3\n", stdout);
        Assert.EndsWith("29999\n30000\n", stdout);
        Assert.Contains("bytes omitted", stdout);
        Assert.True(before.GetProperty("stdoutTruncated").GetBoolean());
        Assert.Equal("to stderr\n", Text(before, "stderr"));

        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, after) = await server.GetAsync("/v1/calls/output-1");
            Assert.Equal(200, status);
            Assert.Equal(before.GetRawText(), after.GetProperty("output").GetRawText());
            var (_, events) = await server.GetAsync("/v1/calls/output-1/events");
            var finished = events.GetProperty("events").EnumerateArray().Single(e => Text(e, "type") == "execution-finished.v1");
            var kept = finished.GetProperty("event").GetProperty("result").GetProperty("output").GetProperty("stdout");
            Assert.Equal(32 * 1024, Convert.FromBase64String(kept.GetProperty("head").GetString()!).Length);
            Assert.Equal(32 * 1024, Convert.FromBase64String(kept.GetProperty("tail").GetString()!).Length);
        }
    }

    [Fact]
    public async Task Reads_of_journalled_calls_while_the_journal_recovers_are_answered_from_the_call_directory_never_404()
    {
        JsonElement output;
        string approvalId;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", Call("recovering-1", "echo kept", wait: 60));
            Assert.True(status == 201, $"{status} {body}");
            output = body.GetProperty("output").Clone();
            (status, body) = await server.PostAsync("/v1/calls", Call("recovering-2", "printf x >> side.txt"));
            Assert.True(status == 202, $"{status} {body}");
            approvalId = Text(body.GetProperty("pendingApproval"), "approvalId");
            server.Kill();
        }

        // The test hook holds session recovery until the gate file exists: the server serves, and is not ready.
        var gate = Path.Combine(_setup.Root, "recovery-gate");
        _setup.Environment["ORCHESTRATOR_TEST_RECOVERY_GATE"] = gate;
        await using (var server = await ServerProcess.StartAsync(_setup, waitReady: false))
        {
            Assert.Equal(200, (await server.GetAsync("/healthz")).Status);
            var (notReady, readiness) = await server.GetAsync("/readyz");
            Assert.True(notReady == 503, $"{notReady} {readiness}");
            // The durable call directory knows every journalled call: each is found and read while recovery waits.
            var (status, call) = await server.GetAsync("/v1/calls/recovering-1");
            Assert.True(status == 200, $"{status} {call}");
            Assert.Equal("completed", Text(call, "status"));
            Assert.Equal(output.GetRawText(), call.GetProperty("output").GetRawText());
            var (eventsStatus, events) = await server.GetAsync("/v1/calls/recovering-1/events");
            Assert.True(eventsStatus == 200, $"{eventsStatus} {events}");
            Assert.Contains(events.GetProperty("events").EnumerateArray(), e => Text(e, "type") == "execution-finished.v1");
            Assert.Equal("awaiting-approval", Text((await server.GetAsync("/v1/calls/recovering-2")).Body, "status"));
            Assert.Equal(404, (await server.GetAsync("/v1/calls/never-submitted")).Status);
            // Approvals come from the approval index, rebuilt from the journal on its own: the pending one is listed.
            var (listed, approvals) = await server.GetAsync("/v1/approvals");
            Assert.Equal(200, listed);
            Assert.Equal(approvalId, Text(Assert.Single(approvals.GetProperty("approvals").EnumerateArray()), "approvalId"));

            File.WriteAllText(gate, "");
            await server.WaitReadyAsync();
            Assert.Equal("awaiting-approval", Text((await server.GetAsync("/v1/calls/recovering-2")).Body, "status"));
        }
    }

    private static CliProcess.Result RunCli(params string[] args) => CliProcess.Run(args);
}

public sealed class SqliteCrashRecoveryTests() : CrashRecoveryTests(Backend.Sqlite);

public sealed class PostgresCrashRecoveryTests() : CrashRecoveryTests(Backend.Postgres);
