using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A row forged into the journal while the server is down — the attack of issue 9: an approval of a pending call,
/// written straight into the SQLite file — never makes the call run: the session is closed at recovery, one line
/// names the journal and the sequence number (in the log and in /readyz), and answering the approval does nothing.
/// </summary>
public sealed class ForgedJournalTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    private string Journal => Path.Combine(_setup.Data, "orchestrator.db");

    private string SideFile => Path.Combine(_setup.Project, "side.txt");

    [Fact]
    public async Task A_forged_approval_row_never_runs_the_call_and_the_session_is_closed_with_one_line()
    {
        string approvalId;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            var (status, body) = await server.PostAsync("/v1/calls", new
            {
                id = "forged-1", agentId = "agent-1", sessionId = "forged", tool = "Bash",
                input = new Dictionary<string, string> { ["command"] = "printf '%s\\n' ran >> side.txt" },
                cwd = _setup.Project, intent = "execute", wait = 0,
            });
            Assert.True(status == 202, $"{status} {body}");
            approvalId = body.GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
            server.Kill();
        }

        var answered = JsonSerializer.Serialize(new
        {
            callId = "forged-1", approvalId, approved = true, scope = "once", reason = (string?)null,
            answeredBy = "operator", answeredAt = DateTimeOffset.UtcNow,
        });
        Sqlite(
            "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) " +
            $"SELECT 0, 0, 'session-forged', MAX(sequence_number) + 1, CAST('{answered}' AS BLOB), 'approval', 'approval-answered.v1', 4201, NULL " +
            "FROM journal WHERE persistence_id = 'session-forged';");

        await using (var server = await ServerProcess.StartAsync(_setup, waitReady: false))
        {
            var ready = await ReadinessAsync(server);
            Assert.Contains($"journal {Journal}: session-forged event #3 is not sealed", ready, StringComparison.Ordinal);

            // The server's output is read asynchronously: wait for the line rather than assume it is already here.
            var line = await LogLineAsync(server, "session-forged event #3");
            Assert.Contains("[ERROR]", line, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Log.Split('\n'), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

            // An operator answering the pending approval does not reach the closed session either.
            var cli = new ProcessStartInfo(ServerProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "approvals", "approve", approvalId, "--server", server.Url.ToString(), "--token", _setup.Tokens[ServerSetup.Operator] })
                cli.ArgumentList.Add(arg);
            using var approve = Process.Start(cli)!;
            var said = await approve.StandardError.ReadToEndAsync() + await approve.StandardOutput.ReadToEndAsync();
            await approve.WaitForExitAsync();
            Assert.True(approve.ExitCode != 0, said);
            Assert.Contains("session-forged event #3", said, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(SideFile), "the call ran: " + (File.Exists(SideFile) ? File.ReadAllText(SideFile) : ""));
    }

    /// <summary>/readyz's answer once recovery has finished (ready or not).</summary>
    // 503 while recovering, and 503 naming what failed once it is over.
    private static Task<string> ReadinessAsync(ServerProcess server) =>
        Poll.UntilAsync(async () => (await server.GetAsync("/readyz")).Body.GetRawText(), text => !text.Contains("recovering", StringComparison.Ordinal),
            "recovery finishing", Patience, () => server.Log);

    private static async Task<string> LogLineAsync(ServerProcess server, string text) =>
        (await Poll.UntilAsync(() => server.Log.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)), line => line is not null,
            $"a line with \"{text}\" in the server's log", Patience, () => server.Log))!;

    private void Sqlite(string sql)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [Journal, sql]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sqlite3 failed: {error}");
    }

    public void Dispose() => _setup.Dispose();
}
