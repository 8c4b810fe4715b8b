using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The server's own data (journal, keys, the quarantine) is hidden from the commands it runs.</summary>
public sealed class SandboxedDataTests
{
    [Theory]
    [InlineData("built-in")]
    [InlineData("bubblewrap")]
    public async Task A_sandboxed_command_cannot_read_the_servers_data_directory(string layering)
    {
        // Not below /tmp, which every command sees as a private, empty directory anyway.
        var data = Path.Combine("/var/tmp", $"orchestrator-e2e-data-{Guid.NewGuid():N}");
        using var setup = new ServerSetup(Backend.Sqlite) { Approver = "auto-approve", Data = data };
        using var cleanup = new DeleteOnDispose(data);
        if (layering == "built-in") setup.Environment["ORCHESTRATOR_NO_BWRAP"] = "1";
        await using var server = await ServerProcess.StartAsync(setup);
        var journal = Path.Combine(setup.Data, "orchestrator.db");
        Assert.True(File.Exists(journal), $"no journal at {journal}");

        var (status, body) = await server.PostAsync("/v1/calls", new
        {
            id = "peek", agentId = "agent-1", sessionId = "s-1", tool = "Bash", cwd = setup.Project, intent = "execute", wait = 60,
            input = new Dictionary<string, string> { ["command"] = $"ls -a '{setup.Data}'; head -c 16 '{journal}'; echo end" },
        });

        Assert.True(status is 200 or 201, $"{status} {body}");
        Assert.Equal("allowed-and-ran", body.GetProperty("outcome").GetString());
        var stdout = body.GetProperty("output").GetProperty("stdout").GetString()!;
        Assert.DoesNotContain("orchestrator.db", stdout);
        Assert.DoesNotContain("SQLite format", stdout);
        Assert.EndsWith("end\n", stdout);
    }

    private sealed class DeleteOnDispose(string path) : IDisposable
    {
        public void Dispose()
        {
            try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
