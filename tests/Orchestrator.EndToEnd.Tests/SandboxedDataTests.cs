using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The server's own data (journal, keys, the quarantine) is hidden from the commands it runs.</summary>
public sealed class SandboxedDataTests
{
    [Theory]
    [InlineData("built-in")]
    [InlineData("bubblewrap")]
    public async Task A_command_naming_the_servers_data_directory_is_denied_by_the_policy(string layering)
    {
        await using var run = await DataRun.StartAsync(layering);

        var body = await run.SubmitAsync("name", $"ls -a '{run.Data}'; head -c 16 '{run.Journal}'");

        Assert.Equal("denied", body.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("built-in")]
    [InlineData("bubblewrap")]
    public async Task A_command_reaching_the_data_directory_by_a_path_no_policy_can_read_still_cannot_see_it(string layering)
    {
        await using var run = await DataRun.StartAsync(layering);
        // The path comes from a file at run time: the policy cannot know it (it asks; the approver approves), so only
        // the sandbox stands between the command and the journal.
        File.WriteAllText(Path.Combine(run.Setup.Project, "where.txt"), run.Data);

        var body = await run.SubmitAsync("peek",
            "d=$(cat where.txt); ls -a \"$d\"; head -c 16 \"$d/orchestrator.db\"; head -c 16 \"$d/journal.key\" | od -An -tx1; " +
            "echo forged > \"$d/forged\" 2>/dev/null; echo forged >> \"$d/journal.key\" 2>/dev/null; echo end");

        Assert.Equal("allowed-and-ran", body.GetProperty("outcome").GetString());
        var stdout = body.GetProperty("output").GetProperty("stdout").GetString()!;
        Assert.DoesNotContain("orchestrator.db", stdout);
        Assert.DoesNotContain("SQLite format", stdout);
        Assert.EndsWith("end\n", stdout);
        // Nor write it: nothing the command wrote reached the real directory.
        Assert.False(File.Exists(Path.Combine(run.Data, "forged")), "a sandboxed command wrote into the data directory");
        Assert.Equal(32, new FileInfo(Path.Combine(run.Data, "journal.key")).Length);
        Assert.DoesNotContain(Convert.ToHexStringLower(File.ReadAllBytes(Path.Combine(run.Data, "journal.key"))[..16]),
            stdout.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private sealed class DataRun : IAsyncDisposable
    {
        private readonly ServerSetup setup;
        private readonly DeleteOnDispose cleanup;
        private ServerProcess? server;

        private DataRun(ServerSetup setup, DeleteOnDispose cleanup) => (this.setup, this.cleanup) = (setup, cleanup);

        public ServerSetup Setup => setup;
        public string Data => setup.Data;
        public string Journal => Path.Combine(setup.Data, "orchestrator.db");

        public static async Task<DataRun> StartAsync(string layering)
        {
            // Not below /tmp, which every command sees as a private, empty directory anyway.
            var data = Path.Combine("/var/tmp", $"orchestrator-e2e-data-{Guid.NewGuid():N}");
            var run = new DataRun(new ServerSetup(Backend.Sqlite) { Approver = "auto-approve", Data = data }, new DeleteOnDispose(data));
            if (layering == "built-in") run.setup.Environment["ORCHESTRATOR_NO_BWRAP"] = "1";
            run.server = await ServerProcess.StartAsync(run.setup);
            Assert.True(File.Exists(run.Journal), $"no journal at {run.Journal}");
            return run;
        }

        public async Task<JsonElement> SubmitAsync(string id, string command)
        {
            var (status, body) = await server!.PostAsync("/v1/calls", new
            {
                id, agentId = "agent-1", sessionId = "s-1", tool = "Bash", cwd = setup.Project, intent = "execute", wait = 60,
                input = new Dictionary<string, string> { ["command"] = command },
            });
            Assert.True(status is 200 or 201, $"{status} {body}");
            return body;
        }

        public async ValueTask DisposeAsync()
        {
            if (server is not null) await server.DisposeAsync();
            setup.Dispose();
            cleanup.Dispose();
        }
    }

    private sealed class DeleteOnDispose(string path) : IDisposable
    {
        public void Dispose()
        {
            try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
