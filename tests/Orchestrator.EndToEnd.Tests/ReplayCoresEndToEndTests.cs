namespace Orchestrator.EndToEnd.Tests;

/// <summary><c>serve --replay-cores N</c>: a real server's what-if replays judge on N cores; an N out of range is refused.</summary>
public sealed class ReplayCoresEndToEndTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite);

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task A_served_replay_judges_on_the_cores_given_to_serve()
    {
        _setup.ExtraArguments.AddRange(["--replay-cores", "1"]);
        await using var server = await ServerProcess.StartAsync(_setup);
        var (called, call) = await server.PostAsync("/v1/calls",
            new { id = "cores-1", agentId = ServerSetup.Agent, sessionId = "s-cores", tool = "Bash", input = new { command = "ls" }, cwd = _setup.Project, intent = "decide-only", wait = 30 });
        Assert.True(called is 200 or 201 && call.GetProperty("status").GetString() == "completed", $"{called} {call}\n{server.Log}");

        var (status, report) = await server.PostAsync("/v1/replay", new { });

        Assert.True(status == 200, report + "\n" + server.Log);
        Assert.Equal(1, report.GetProperty("cores").GetInt32());
        Assert.Equal(1, report.GetProperty("replayed").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    public void A_replay_core_count_out_of_range_is_refused_before_serve_starts(string cores)
    {
        var result = _setup.Cli("serve", "--data", _setup.Data, "--replay-cores", cores);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--replay-cores must be between 1 and 1024", result.Stderr, StringComparison.Ordinal);
    }
}
