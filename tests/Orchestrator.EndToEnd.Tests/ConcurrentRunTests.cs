using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Several agents using <c>orchestrator run</c> on one data directory at once: each run hosts the pipeline in turn
/// (one writer per data directory), the others wait for it instead of being refused, and every call is recorded.
/// </summary>
public sealed class ConcurrentRunTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task Runs_started_together_on_one_data_directory_all_run_and_are_all_recorded()
    {
        // The runs take the data directory one after another, so the last one waits for two whole runs.
        var runs = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => Task.Run(() =>
            CliProcess.RunIn(_setup.Project, _setup.CliEnvironment(), TimeSpan.FromMinutes(3), "run", "--data", _setup.Data,
                "--workspace", _setup.Project, "--settings", _setup.SettingsFile, "--", $"echo run-{n}"))));

        for (var n = 1; n <= 3; n++)
        {
            var run = runs[n - 1];
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal($"run-{n}", run.Stdout.Trim());
        }
        Assert.Contains(runs, r => r.Stderr.Contains("waiting for it", StringComparison.Ordinal));

        var ids = runs.Select(EntryPointEquivalenceTests.CallIdOf).ToArray();
        Assert.Equal(3, ids.Distinct().Count());
        await using var server = await ServerProcess.StartAsync(_setup);
        foreach (var id in ids)
        {
            var (status, call) = await server.GetAsync($"/v1/calls/{id}");
            Assert.True(status == 200, $"GET /v1/calls/{id}: {status}");
            Assert.Equal("allowed-and-ran", call.GetProperty("outcome").GetString());
        }
    }
}
