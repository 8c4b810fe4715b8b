namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The client commands find the server that holds the data directory (its <c>server.json</c>) the same way: no
/// <c>--server</c> needed for <c>history</c>, <c>approvals</c>, <c>check</c> or <c>run</c>, and one clear error when
/// no server holds it. <c>run --agent</c> names the agent (and session) of the call, hosted here or forwarded.
/// </summary>
public sealed class ServerDiscoveryTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    private CliProcess.Result Cli(params string[] args) => _setup.Cli(args);

    [Fact]
    public async Task History_and_approvals_find_the_server_holding_the_data_directory_and_say_when_none_does()
    {
        // History reads a journal no server holds directly; this directory holds none yet, and it says so.
        var noServerHistory = Cli("history", "some-call", "--data", _setup.Data);
        Assert.Equal(1, noServerHistory.ExitCode);
        Assert.Contains($"no server holds {_setup.Data} and it holds no journal", noServerHistory.Stderr);
        var noServerApprovals = Cli("approvals", "list", "--data", _setup.Data);
        Assert.Equal(1, noServerApprovals.ExitCode);
        Assert.Contains($"no server holds the data directory {_setup.Data}", noServerApprovals.Stderr);
        Assert.Contains($"orchestrator serve --data {_setup.Data}", noServerApprovals.Stderr);

        await using var server = await ServerProcess.StartAsync(_setup);
        var (status, _) = await server.PostAsync("/v1/calls", new
        {
            id = "asks-1", agentId = "alice", sessionId = "s-1", tool = "Bash", input = new { command = "printf hi" }, cwd = _setup.Project, intent = "execute",
        });
        Assert.Equal(202, status);

        var listed = Cli("approvals", "list", "--data", _setup.Data, "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var approval = System.Text.Json.JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("approvals").EnumerateArray()
            .Single(a => a.GetProperty("callId").GetString() == "asks-1").GetProperty("approvalId").GetString()!;
        var denied = Cli("approvals", "deny", approval, "--data", _setup.Data, "--reason", "not now");
        Assert.True(denied.ExitCode == 0, denied.ToString());
        var history = Cli("history", "asks-1", "--data", _setup.Data);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("approval-answered.v1", history.Stdout);
        Assert.Contains("approved=false", history.Stdout);
    }

    [Fact]
    public async Task Run_submits_as_the_agent_it_is_given_in_process_and_forwarded()
    {
        var badAgent = Cli("run", "--data", _setup.Data, "--agent", "two words", "--", "true");
        Assert.Equal(2, badAgent.ExitCode);
        Assert.Contains("--agent must be", badAgent.Stderr);

        var inProcess = Cli("run", "--data", _setup.Data, "--workspace", _setup.Project, "--settings", _setup.SettingsFile, "--agent", "bob", "--", "echo here");
        Assert.True(inProcess.ExitCode == 0, inProcess.ToString());
        var byDefault = Cli("run", "--data", _setup.Data, "--workspace", _setup.Project, "--settings", _setup.SettingsFile, "--", "echo here");
        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        // A run that saw its call end leaves nothing for the next holder of the data directory to settle.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_setup.Data, "runs")));
        await using var server = await ServerProcess.StartAsync(_setup);
        var forwarded = Cli("run", "--data", _setup.Data, "--workspace", _setup.Project, "--agent", "carol", "--", "echo there");
        Assert.True(forwarded.ExitCode == 0, forwarded.ToString());
        Assert.Contains(server.Url.ToString(), forwarded.Stderr);

        foreach (var (run, agent) in new[] { (inProcess, "bob"), (byDefault, "cli"), (forwarded, "carol") })
        {
            var id = EntryPointEquivalenceTests.CallIdOf(run);
            var (status, call) = await server.GetAsync($"/v1/calls/{id}");
            Assert.True(status == 200, $"GET /v1/calls/{id}: {status}");
            Assert.Equal(agent, call.GetProperty("agentId").GetString());
            Assert.Equal(agent, call.GetProperty("sessionId").GetString());
            Assert.Equal("allowed-and-ran", call.GetProperty("outcome").GetString());
        }
    }
}
