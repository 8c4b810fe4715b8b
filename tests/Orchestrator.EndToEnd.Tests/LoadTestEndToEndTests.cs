using System.Text.Json;
using Orchestrator.Load;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// <c>orchestrator loadtest</c> as a user runs it (the built CLI): against a server it starts in its own process, and
/// against a real <c>orchestrator serve</c> found from its data directory. Its report adds up, and the test counts the
/// journal itself: every call the report counts is recorded, with the outcome the agent was told.
/// </summary>
public sealed class LoadTestEndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    [Fact]
    public void An_embedded_run_answers_every_call_approves_through_the_api_and_its_counts_match_its_journal()
    {
        var result = CliProcess.RunIn(_setup.Project, _setup.CliEnvironment(), Patience,
            "loadtest", "--embedded", "--agents", "6", "--calls", "120", "--mix", "40:30:20:10", "--approver", "auto", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(120, report.GetProperty("calls").GetInt64());
        Assert.Equal(0, report.GetProperty("errors").GetInt64());
        Assert.True(report.GetProperty("throughputPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("p99Ms").GetDouble() >= report.GetProperty("p50Ms").GetDouble());
        var outcomes = Outcomes(report);
        Assert.Equal(120, outcomes.Values.Sum());
        // Every asked call waited for the approver, which approved it through the approvals API, and then ran.
        var asked = outcomes.Where(o => o.Key.StartsWith("ask", StringComparison.Ordinal)).Sum(o => o.Value);
        Assert.True(asked > 0, result.Stdout);
        Assert.Equal(asked, outcomes.GetValueOrDefault("ask → allowed-and-ran"));
        Assert.Equal(asked, report.GetProperty("approvals").GetProperty("answered").GetInt64());
        Assert.True(outcomes.GetValueOrDefault("deny → denied") > 0, result.Stdout);
        Assert.True(outcomes.GetValueOrDefault("allow → allowed-and-ran") > 0, result.Stdout);
        var journal = report.GetProperty("journal");
        Assert.True(journal.GetProperty("verified").GetBoolean(), result.Stdout);
        Assert.Equal(120, journal.GetProperty("recorded").GetInt64());
        Assert.True(journal.GetProperty("rowsAdded").GetInt64() >= 120);
        Assert.True(report.GetProperty("countsAddUp").GetBoolean());
    }

    [Fact]
    public async Task A_run_against_a_real_serve_with_an_operator_bot_is_recorded_call_for_call_in_its_journal_and_leaves_others_approvals_pending()
    {
        _setup.WriteSettings(BenchPolicy.Json());
        LoadWorkspace.Create(_setup.Project);
        JsonElement report;
        await using (var server = await ServerProcess.StartAsync(_setup))
        {
            // Someone else's call waiting for an operator, in a session named like a load test's: the run must not answer it.
            var (status, foreign) = await server.PostAsync("/v1/calls", new
            {
                id = "lt-other-a0-c0", agentId = "agent-0", sessionId = "lt-other-s0", tool = "Bash",
                input = new { command = CallMix.AskToRun.Value }, cwd = _setup.Project, intent = "execute",
            });
            Assert.True(status == 202, $"{status} {foreign}");
            var foreignApproval = foreign.GetProperty("pendingApproval").GetProperty("approvalId").GetString();

            var result = CliProcess.RunIn(_setup.Project, _setup.CliEnvironment(), Patience,
                "loadtest", "--data", _setup.Data, "--agents", "5", "--calls", "100", "--mix", "40:30:30:0", "--approver", "operator-bot:0.5", "--json");
            Assert.True(result.ExitCode == 0, result + "\nserver log:\n" + server.Log);
            report = JsonDocument.Parse(result.Stdout).RootElement;

            var (_, still) = await server.GetAsync("/v1/approvals?sessionPrefix=lt-other-");
            Assert.Equal(foreignApproval, Assert.Single(still.GetProperty("approvals").EnumerateArray()).GetProperty("approvalId").GetString());
            var (_, call) = await server.GetAsync("/v1/calls/lt-other-a0-c0");
            Assert.Equal("awaiting-approval", call.GetProperty("status").GetString());
        }

        Assert.Equal(100, report.GetProperty("calls").GetInt64());
        Assert.Equal(0, report.GetProperty("errors").GetInt64());
        var outcomes = Outcomes(report);
        var approvals = report.GetProperty("approvals");
        var approved = approvals.GetProperty("approved").GetInt64();
        var denied = approvals.GetProperty("denied").GetInt64();
        Assert.Equal(approved + denied, approvals.GetProperty("answered").GetInt64());
        Assert.Equal(approved, outcomes.GetValueOrDefault("ask → allowed-and-ran"));
        Assert.Equal(denied, outcomes.GetValueOrDefault("ask → approval-denied"));
        Assert.True(report.GetProperty("journal").GetProperty("verified").GetBoolean(), report.ToString());

        // The test's own count of the journal, the server stopped: one recorded call per answered call, same outcomes.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var journal = JournalCalls.Read(Orchestrator.Actors.Hosting.PersistenceOptions.Sqlite(_setup.Data).DatabasePath);
        var recorded = journal.CallIds.Where(id => id.StartsWith("lt-", StringComparison.Ordinal) && id != "lt-other-a0-c0").ToList();
        Assert.Equal(100, recorded.Count);
        var byOutcome = recorded.GroupBy(id => journal.Outcomes[id]).ToDictionary(g => Normal(g.Key), g => (long)g.Count());
        var reported = outcomes.GroupBy(o => Normal(o.Key[(o.Key.IndexOf('→') + 1)..])).ToDictionary(g => g.Key, g => g.Sum(o => o.Value));
        Assert.Equal(reported.OrderBy(kv => kv.Key), byOutcome.OrderBy(kv => kv.Key));
    }

    private static Dictionary<string, long> Outcomes(JsonElement report) =>
        report.GetProperty("outcomes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    private static string Normal(string outcome) => new([.. outcome.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
