using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// One call path: the same call submitted through every entry point — <c>orchestrator run</c> hosting the pipeline in
/// its own process on the data directory, then a real server on that data directory taking <c>POST /v1/calls</c>
/// (decide-only and execute), <c>POST /v1/check</c>, <c>orchestrator check</c> (found through the data directory) and
/// <c>orchestrator run</c> (forwarded) — records the same decision (verdict, reason class, rule with its file:line,
/// mode, filesystem facts); only whether the call runs in our sandbox differs, by its intent. The offline
/// <c>orchestrator check</c> (nothing recorded) prints that same decision.
/// </summary>
public sealed partial class EntryPointEquivalenceTests : IDisposable
{
    private readonly ServerSetup _setup = new(Backend.Sqlite) { UseTokens = false };

    public void Dispose() => _setup.Dispose();

    private CliProcess.Result Cli(params string[] args) => _setup.Cli(args);

    [Theory]
    [InlineData("ls -la", "allow")]
    [InlineData("curl https://example.com", "deny")]
    [InlineData("printf hi", "ask")]
    public async Task The_same_call_through_every_entry_point_records_the_same_decision(string command, string decision)
    {
        var recorded = new List<(string Entry, string CallId, bool Executes)>();

        // No server holds the data directory: check judges here (nothing recorded), run hosts the pipeline here.
        var offline = Cli("check", "--data", _setup.Data, "--project", _setup.Project, "--settings", _setup.SettingsFile, "--cwd", _setup.Project,
            "--json", "--command", command);
        Assert.True(offline.Stdout.Length > 0, offline.ToString());
        var offlineVerdict = JsonDocument.Parse(offline.Stdout).RootElement;
        Assert.False(offlineVerdict.GetProperty("recorded").GetBoolean());
        var inProcess = Cli("run", "--data", _setup.Data, "--workspace", _setup.Project, "--settings", _setup.SettingsFile, "--", command);
        recorded.Add(("run in-process", CallIdOf(inProcess), true));

        await using var server = await ServerProcess.StartAsync(_setup);
        foreach (var intent in new[] { "decide-only", "execute" })
        {
            var id = $"http-{intent}-{Guid.NewGuid():n}";
            var (status, _) = await server.PostAsync("/v1/calls", new
            {
                id, agentId = "agent-http", sessionId = $"s-{intent}", tool = "Bash", input = new { command }, cwd = _setup.Project, intent,
            });
            Assert.True(status is 201 or 202, $"POST /v1/calls {intent}: {status}");
            recorded.Add(($"POST /v1/calls {intent}", id, intent == "execute"));
        }
        var (checkStatus, checkBody) = await server.PostAsync("/v1/check", new { tool = "Bash", input = new { command }, cwd = _setup.Project });
        Assert.Equal(201, checkStatus);
        recorded.Add(("POST /v1/check", checkBody.GetProperty("callId").GetString()!, false));

        var viaServer = Cli("check", "--data", _setup.Data, "--cwd", _setup.Project, "--json", "--command", command);
        var viaServerVerdict = JsonDocument.Parse(viaServer.Stdout).RootElement;
        Assert.True(viaServerVerdict.GetProperty("recorded").GetBoolean(), viaServer.ToString());
        recorded.Add(("orchestrator check (server)", viaServerVerdict.GetProperty("callId").GetString()!, false));
        var forwarded = Cli("run", "--data", _setup.Data, "--workspace", _setup.Project, "--", command);
        recorded.Add(("run forwarded", CallIdOf(forwarded), true));

        var decisions = new List<(string Entry, JsonElement Verdict, bool Executes)>();
        foreach (var (entry, id, executes) in recorded)
        {
            var (status, events) = await server.GetAsync($"/v1/calls/{id}/events");
            Assert.True(status == 200, $"{entry}: GET events of {id}: {status}");
            decisions.Add((entry, DecidedVerdict(events, entry), executes));
        }

        var baseline = Comparable(decisions[0].Verdict);
        Assert.Equal(decision, decisions[0].Verdict.GetProperty("decision").GetString());
        foreach (var (entry, verdict, executes) in decisions)
        {
            Assert.True(baseline == Comparable(verdict), $"{entry} recorded\n{Comparable(verdict)}\nbut the in-process run recorded\n{baseline}");
            Assert.Equal(executes, verdict.GetProperty("mode").GetProperty("sandboxed").GetBoolean());
        }
        // The offline check printed the decision the pipeline records.
        Assert.Equal(decision, offlineVerdict.GetProperty("decision").GetString());
        Assert.Equal(ReasonClassOf(decisions[0].Verdict), offlineVerdict.GetProperty("reasonClass").GetString());
        Assert.Equal(viaServerVerdict.GetProperty("reasonClass").GetString(), offlineVerdict.GetProperty("reasonClass").GetString());
        Assert.Equal(viaServerVerdict.GetProperty("rule").GetRawText(), offlineVerdict.GetProperty("rule").GetRawText());
        Assert.Equal(viaServerVerdict.GetProperty("mode").GetRawText(), offlineVerdict.GetProperty("mode").GetRawText());
    }

    internal static string CallIdOf(CliProcess.Result run)
    {
        var match = CallIdLine().Match(run.Stderr);
        Assert.True(match.Success, $"no call id printed: {run}");
        return match.Groups[1].Value;
    }

    /// <summary>The recorded verdict, from the one-write automatic path or a separate decision event.</summary>
    private static JsonElement DecidedVerdict(JsonElement events, string entry)
    {
        foreach (var e in events.GetProperty("events").EnumerateArray())
        {
            var body = e.GetProperty("event");
            switch (e.GetProperty("type").GetString())
            {
                case "call-received-and-decided.v1": return body.GetProperty("decided").GetProperty("verdict");
                case "call-decided.v1": return body.GetProperty("verdict");
            }
        }
        throw new Xunit.Sdk.XunitException($"{entry}: no decision recorded in {events}");
    }

    /// <summary>What must match across entry points: everything but whether our sandbox runs it (the intent's).</summary>
    private static string Comparable(JsonElement verdict)
    {
        var copy = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(verdict.GetRawText())!;
        var mode = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(copy["mode"].GetRawText())!;
        mode.Remove("sandboxed");
        copy["mode"] = JsonSerializer.SerializeToElement(mode);
        return JsonSerializer.Serialize(copy.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary());
    }

    private static string ReasonClassOf(JsonElement verdict) =>
        Regex.Replace(verdict.GetProperty("reasonClass").GetString()!, "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant();

    [GeneratedRegex(@"orchestrator: call (\S+)")]
    private static partial Regex CallIdLine();
}
