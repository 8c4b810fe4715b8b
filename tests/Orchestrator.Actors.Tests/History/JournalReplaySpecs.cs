using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Sources;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Tests.History;

/// <summary>
/// A what-if replay over calls recorded by the real pipeline whose policy was loaded from its files the way a server
/// (and the benchmark's journal builder) loads it: the recorded policy judges every call again and changes none, a
/// tightened rule changes exactly the calls it names, a replay on several cores reports exactly what a sequential one
/// does (through the read model and scanning the journal), and a row pointing elsewhere fails it on several cores too.
/// </summary>
public sealed class JournalReplaySpecs(ITestOutputHelper output) : WorkspacePipelineSpec(output, "orchestrator-replay-")
{
    private static readonly string[] Commands = ["ls", "git status", "cat README.md", "curl http://example.com", "npm run build", "ls -la", "rm -rf build"];
    private const int Sessions = 4;
    private const int CallsPerSession = 40;
    private const int Calls = Sessions * CallsPerSession;

    protected override PolicyCatalog Policies
    {
        get
        {
            var settings = Path.Combine(Home, "settings.json");
            File.WriteAllText(settings, """{"permissions":{"allow":["Bash(npm run build)"],"deny":["Bash(curl:*)"],"ask":["Bash(rm:*)"]}}""");
            return new PolicyCatalog(new PolicyLoadOptions(Workspace.FullName)
            {
                HomeDirectory = Home, ManagedSettingsPath = null, UserSettingsPath = null, SettingsFiles = [settings],
            });
        }
    }

    private async Task RecordAsync()
    {
        var sessions = await SessionsAsync();
        await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async s =>
        {
            for (var n = 0; n < CallsPerSession; n++)
            {
                var call = new ToolCall(new CallId($"s{s}-c{n}"), ToolNames.Bash,
                    ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, Commands[(s * 3 + n) % Commands.Length]),
                    Workspace.FullName, new AgentId($"agent-{s % 2}"), new SessionId($"replay-s{s}"));
                await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);
            }
        }));
        await using var history = new JournalHistory(Sys);
        // The read model follows the journal's writes shortly after.
        await AwaitAssertAsync(async () => Assert.Equal(Calls, (await Run(history, ReplayPolicy.Recorded, 1)).Replayed), Patience);
    }

    private static async Task<ReplayReport> Run(JournalHistory history, ReplayPolicy policy, int parallelism, bool cold = false) =>
        (await JournalReplay.RunAsync(history, policy, null, null, null, cold: cold, parallelism: parallelism)).Report;

    private static ReplayPolicy Candidate(string json) =>
        new([new PolicyFileObservation("/replay/candidate.json", PolicyFileKind.File) { Bytes = [.. Encoding.UTF8.GetBytes(json)] }], false);

    private static string Text(ReplayReport report) => JsonSerializer.Serialize(report);

    [Fact]
    public async Task The_recorded_policy_judges_every_call_again_and_changes_none_on_any_number_of_cores()
    {
        await RecordAsync();
        await using var history = new JournalHistory(Sys);

        foreach (var (parallelism, cold) in new[] { (1, false), (4, false), (1, true), (4, true) })
        {
            var report = await Run(history, ReplayPolicy.Recorded, parallelism, cold);
            Assert.Equal((Calls, 0L, 0L), (report.Replayed, report.Changed, report.Undecidable));
        }
    }

    [Fact]
    public async Task A_call_whose_secret_was_masked_is_judged_again_on_its_real_input_which_the_read_model_keeps_only_encrypted()
    {
        const string Secret = "ghp_0123456789abcdefghijABCDEFGHIJ0123";
        var command = $"curl -H 'Authorization: token {Secret}' http://example.com";
        var sessions = await SessionsAsync();
        var call = new ToolCall(new CallId("secret-1"), ToolNames.Bash, ImmutableDictionary<string, string>.Empty.Add(ToolInputKeys.Command, command),
            Workspace.FullName, new AgentId("agent-0"), new SessionId("replay-secret"));
        await sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), Patience);
        await using var history = new JournalHistory(Sys);
        await AwaitAssertAsync(async () => Assert.Equal(1, (await Run(history, ReplayPolicy.Recorded, 1)).Replayed), Patience);

        var decisions = new List<RecordedDecision>();
        await foreach (var d in history.RecordedDecisionsAsync(null, null, null)) decisions.Add(d);
        Assert.Equal(command, Assert.Single(decisions).Subject?.InputValue(ToolInputKeys.Command));
        var model = Text(await Run(history, ReplayPolicy.Recorded, 1));
        Assert.Equal(Text(await Run(history, ReplayPolicy.Recorded, 1, cold: true)), model);
        var report = await Run(history, ReplayPolicy.Recorded, 4);
        Assert.Equal((1L, 0L, 0L), (report.Replayed, report.Changed, report.Undecidable));
        var historyTable = Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryTableName;
        var record = Assert.IsType<byte[]>(Assert.Single(Backend.Query($"SELECT decision_record FROM {historyTable}"))[0]);
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(record));
        Assert.Contains("curl -H 'Authorization: ", Encoding.UTF8.GetString(record)); // the masked command is there, in clear
    }

    [Fact]
    public async Task A_tightened_rule_changes_exactly_the_calls_it_names()
    {
        await RecordAsync();
        await using var history = new JournalHistory(Sys);
        var expected = Enumerable.Range(0, Sessions).SelectMany(s => Enumerable.Range(0, CallsPerSession)
            .Where(n => Commands[(s * 3 + n) % Commands.Length].StartsWith("ls", StringComparison.Ordinal))).Count();

        var report = await Run(history, Candidate("""{"permissions":{"deny":["Bash(ls:*)"]}}"""), parallelism: 4);

        Assert.Equal(Calls, report.Replayed);
        Assert.Equal(expected, report.Changed);
        var group = Assert.Single(report.ByRule);
        Assert.Equal(("Bash(ls:*)", Decision.Allow, Decision.Deny, (long)expected), (group.Rule, group.Before, group.After, group.Count));
    }

    [Fact]
    public async Task A_replay_on_several_cores_reports_exactly_what_a_sequential_one_reports()
    {
        await RecordAsync();
        await using var history = new JournalHistory(Sys);
        // Changes under several rules (with their first examples), and calls the candidate cannot judge.
        var candidates = new[]
        {
            ReplayPolicy.Recorded,
            Candidate("""{"permissions":{"deny":["Bash(ls:*)","Bash(git:*)"],"allow":["Bash(curl:*)"]}}"""),
            new ReplayPolicy(Candidate("""{"permissions":{"ask":["Bash(cat:*)"]}}""").Candidate, Replace: true),
        };
        foreach (var policy in candidates)
            foreach (var cold in new[] { false, true })
            {
                var sequential = Text(await Run(history, policy, 1, cold));
                // The read model's compact records and the journal's own events give the same report.
                Assert.Equal(Text(await Run(history, policy, 1, cold: !cold)), sequential);
                foreach (var parallelism in new[] { 2, 3, 8 })
                    Assert.Equal(sequential, Text(await Run(history, policy, parallelism, cold)));
            }
    }

    [Fact]
    public async Task A_read_model_row_edited_to_point_elsewhere_fails_the_replay_on_several_cores()
    {
        await RecordAsync();
        await using var history = new JournalHistory(Sys);
        var historyTable = Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryTableName;
        Assert.Equal(1, Backend.Execute($"UPDATE {historyTable} SET received_seq = received_seq + 1 WHERE call_id = @c", ("@c", "s2-c17")));

        var failure = await Assert.ThrowsAsync<JournalIntegrityException>(() => Run(history, ReplayPolicy.Recorded, parallelism: 4));
        Assert.Contains("s2-c17", failure.Message);
    }
}
