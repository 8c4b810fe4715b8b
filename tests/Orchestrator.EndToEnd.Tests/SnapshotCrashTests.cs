using System.Diagnostics;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A session long enough to be snapshotted (150 decided calls with <c>serve --snapshot-every 100</c>: a snapshot, then
/// more events, then a call left waiting for its approval) in a real server killed with SIGKILL: restarted from the snapshot
/// plus the later events, every call, the pending approval and the session's answers read back exactly as when
/// restarted from the events alone (the snapshot deleted).
/// </summary>
public sealed class SnapshotCrashTests : IDisposable
{
    private const int Calls = 150;
    private const int SnapshotEvery = 100;
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public SnapshotCrashTests() => _setup.ExtraArguments.AddRange(["--snapshot-every", $"{SnapshotEvery}"]);

    private string Journal => Path.Combine(_setup.Data, "orchestrator.db");

    private object Call(string id, string command, string intent) => new
    {
        id, agentId = "agent-1", sessionId = "long-session", tool = "Bash",
        input = new Dictionary<string, string> { ["command"] = command }, cwd = _setup.Project, intent, wait = 0,
    };

    [Fact]
    public async Task A_session_snapshot_plus_later_events_recovers_the_same_state_as_the_events_alone()
    {
        var ids = Enumerable.Range(0, Calls).Select(i => $"long-{i}").Append("long-asks").ToArray();
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            using var lanes = new SemaphoreSlim(16);
            await Task.WhenAll(ids[..^1].Select(async (id, i) =>
            {
                await lanes.WaitAsync();
                try
                {
                    var (status, body) = await server.PostAsync("/v1/calls", Call(id, i % 2 == 0 ? "ls" : "curl https://example.com", "decide-only"));
                    Assert.True(status == 201, $"{id}: {status} {body}");
                }
                finally
                {
                    lanes.Release();
                }
            }));
            // The snapshot is saved after its event is written, asynchronously: the kill must come after it is stored.
            await SnapshotSavedAsync();
            var (asked, pending) = await server.PostAsync("/v1/calls", Call("long-asks", "printf '%s\\n' ran >> side.txt", "execute"));
            Assert.True(asked == 202, $"{asked} {pending}");
            server.Kill();
        }
        var snapshot = Sqlite("SELECT sequence_number FROM snapshot WHERE persistence_id = 'session-long-session'");
        Assert.True(long.TryParse(snapshot, out var at) && at >= SnapshotEvery, $"no snapshot of the session: '{snapshot}'");
        Assert.True(long.Parse(Sqlite("SELECT max(sequence_number) FROM journal WHERE persistence_id = 'session-long-session'")) > at);

        var (fromSnapshot, log) = await ReadBackAsync(ids);
        Assert.DoesNotContain("snapshot of session-long-session", log, StringComparison.Ordinal);
        Sqlite("DELETE FROM snapshot");
        var (fromEvents, _) = await ReadBackAsync(ids);

        Assert.Equal(fromEvents, fromSnapshot);
        Assert.Contains("\"pendingApproval\":{", fromSnapshot[^2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1000001")]
    public void A_snapshot_interval_out_of_range_is_refused_before_serve_starts(string every)
    {
        var result = _setup.Cli("serve", "--data", _setup.Data, "--snapshot-every", every);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--snapshot-every must be between 0 (never) and 1000000 events", result.Stderr);
    }

    /// <summary>Waits (bounded) until the running server has stored a snapshot of the session.</summary>
    private Task SnapshotSavedAsync() =>
        Poll.UntilAsync(() => Sqlite("SELECT count(*) FROM snapshot WHERE persistence_id = 'session-long-session'"), count => count != "0",
            "the server storing a snapshot of the session", TimeSpan.FromSeconds(60));

    /// <summary>Starts the server on the journal, reads every call and the pending approvals, and kills it again.</summary>
    private async Task<(string[] Read, string Log)> ReadBackAsync(string[] ids)
    {
        await using var server = await ServerProcess.StartAsync(_setup);
        var read = new List<string>();
        foreach (var id in ids)
        {
            var (status, body) = await server.GetAsync($"/v1/calls/{id}");
            read.Add($"{status} {body.GetRawText()}");
        }
        var (_, approvals) = await server.GetAsync("/v1/approvals");
        read.Add(approvals.GetRawText());
        server.Kill();
        return ([.. read], server.Log);
    }

    private string Sqlite(string sql)
    {
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [Journal, sql]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sqlite3 failed: {error}");
        return output.Trim();
    }

    public void Dispose() => _setup.Dispose();
}
