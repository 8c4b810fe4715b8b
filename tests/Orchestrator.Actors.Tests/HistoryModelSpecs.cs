using Akka.Actor;
using Akka.Hosting;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Actors.Tests.Support;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests;

/// <summary>
/// The history read model (orchestrator_history) the journal keeps in the same transaction as the events, on every
/// backend: every filter and every page reads the same calls from it as from a scan of the journal, and replay finds the
/// same recorded decisions; an older journal (or a dropped table) fills it at start; a row edited to point elsewhere
/// fails the replay instead of being believed.
/// </summary>
public abstract class HistoryModelSpecs(IJournalBackend backend, ITestOutputHelper output) : JournalSpec<IJournalBackend>(backend, output)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private string HistoryTable => Backend.JournalTable[..^"journal".Length] + CallDirectoryStore.HistoryTableName;

    private static CallReceived Received(string call, string session, string agent, string tool, int minute, string? workspace = "/ws/a") =>
        (CallReceived)SampleValues.Create(typeof(CallReceived))! with
        {
            CallId = new CallId(call), Session = new SessionId(session), Agent = new AgentId(agent), ReceivedAt = T0.AddMinutes(minute),
            Call = ToolCall.Bash("echo " + call, "/ws/a") with
            {
                Id = new CallId(call), ToolName = tool, Agent = new AgentId(agent), Session = new SessionId(session), Workspace = workspace,
            },
        };

    private static CallDecided Decided(string call, Decision decision, string? rule, int minute) =>
        (CallDecided)SampleValues.Create(typeof(CallDecided))! with
        {
            CallId = new CallId(call), DecidedAt = T0.AddMinutes(minute), UpdatedInput = null,
            Verdict = ((CallDecided)SampleValues.Create(typeof(CallDecided))!).Verdict with
            {
                Decision = decision, Reason = $"{decision} by {rule ?? "default"}",
                Rule = rule is null ? null : new MatchedRule((RuleDecision)decision, rule, SettingsLayer.Project, "/ws/a/.orchestrator/settings.json", 1, 1),
            },
        };

    private static CallCompleted Completed(string call, CallOutcome outcome, int minute) =>
        (CallCompleted)SampleValues.Create(typeof(CallCompleted))! with { CallId = new CallId(call), Outcome = outcome, CompletedAt = T0.AddMinutes(minute) };

    private async Task Persist(string session, params object[] events)
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(TestEventLog.Props("session-" + session)).Tell(new AppendAll([.. events]), probe.Ref);
        await probe.ExpectMsgAsync<Appended>(Patience);
    }

    /// <summary>Calls of every shape: decided in their first write or later, ended, interrupted, open, undecided, decided twice, over several sessions and writes.</summary>
    private async Task RecordCalls()
    {
        await Persist("s1", Received("c-1", "s1", "alice", "Bash", 0), Decided("c-1", Decision.Allow, "Bash(echo:*)", 0));
        await Persist("s2", new CallReceivedAndDecided(Received("c-2", "s2", "bob", "Read", 1, workspace: null), Decided("c-2", Decision.Deny, "Read(./.env)", 1),
            Completed: Completed("c-2", CallOutcome.Denied, 1)));
        await Persist("s1", Completed("c-1", CallOutcome.AllowedAndRan, 2));
        await Persist("s1", Received("c-3", "s1", "alice", "Bash", 3), Decided("c-3", Decision.Ask, "Bash(rm:*)", 3));
        await Persist("s3", Received("c-4", "s3", "carol", "WebFetch", 4));
        await Persist("s1", Decided("c-3", Decision.Allow, "Bash(rm:*)", 5), new CallInterrupted(new CallId("c-3"), "restart", T0.AddMinutes(6)));
        await Persist("s2", Received("c-5", "s2", "bob", "bash", 7), Decided("c-5", Decision.Allow, null, 7), Completed("c-5", CallOutcome.Failed, 8));
        await Persist("s3", Decided("c-4", Decision.Ask, "WebFetch(domain:example.com)", 9));
        await Persist("s4", new CallReceivedAndDecided(Received("c-6", "s4", "alice", "Edit", 10, workspace: "/ws/b"), Decided("c-6", Decision.Allow, "Edit", 10)));
    }

    private static IEnumerable<HistoryFilter> Filters() =>
    [
        HistoryFilter.All, new() { Agent = "alice" }, new() { Session = "s2" }, new() { Workspace = "/ws/a" }, new() { From = T0.AddMinutes(3) },
        new() { To = T0.AddMinutes(4) }, new() { Decision = Decision.Allow }, new() { Outcome = CallOutcome.AllowedAndRan }, new() { OnlyOpen = true },
        new() { Tool = "BASH" }, new() { Rule = "RM:" }, new() { Agent = "alice", Decision = Decision.Allow, From = T0.AddMinutes(1) },
        new() { Outcome = CallOutcome.Interrupted }, new() { Agent = "nobody" },
    ];

    /// <summary>Every page of <paramref name="read"/>, following the cursors, with the cursors themselves.</summary>
    private static async Task<List<(IReadOnlyList<CallSummary> Calls, long? Next)>> Pages(Func<long, Task<HistoryPage>> read)
    {
        var pages = new List<(IReadOnlyList<CallSummary>, long?)>();
        long after = 0;
        while (true)
        {
            var page = await read(after);
            pages.Add((page.Calls, page.Next));
            if (page.Next is not { } next) return pages;
            after = next;
        }
    }

    private static async Task AssertSameAsScan(ActorSystem system)
    {
        await using var history = new JournalHistory(system);
        foreach (var filter in Filters())
            foreach (var limit in new[] { 1, 2, 100 })
            {
                var model = await Pages(after => history.ListAsync(filter, after, limit));
                var scan = await Pages(after => history.ScanAsync(filter, after, limit));
                Assert.Equal(scan.Count, model.Count);
                for (var i = 0; i < scan.Count; i++)
                {
                    Assert.Equal(scan[i].Next, model[i].Next);
                    Assert.Equal(scan[i].Calls, model[i].Calls);
                }
            }
        foreach (var (from, to, agent) in new (DateTimeOffset?, DateTimeOffset?, string?)[] { (null, null, null), (T0.AddMinutes(1), T0.AddMinutes(8), null), (null, null, "alice") })
        {
            var scanned = new List<string>();
            await foreach (var (_, d) in history.DecisionsAsync(0, from, to, agent)) scanned.Add($"{d.CallId} {d.Verdict.Decision} {d.Subject?.Input.Count}");
            var modelled = new List<string>();
            await foreach (var d in history.RecordedDecisionsAsync(from, to, agent)) modelled.Add($"{d.CallId} {d.Verdict.Decision} {d.Subject?.Input.Count}");
            Assert.Equal(scanned, modelled);
        }
    }

    [Fact]
    public async Task Every_filter_and_page_of_the_read_model_is_the_scan_of_the_journal_and_so_are_the_recorded_decisions()
    {
        await RecordCalls();

        // Kept around Akka.Persistence.Sql's writes, the model follows the events shortly after.
        await AwaitAssertAsync(() => AssertSameAsScan(Sys), Patience);
        await using var history = new JournalHistory(Sys);
        var all = await history.ListAsync(HistoryFilter.All, 0, 100);
        Assert.Equal(["c-1", "c-2", "c-3", "c-4", "c-5", "c-6"], all.Calls.Select(c => c.CallId));
        var c3 = all.Calls[2];
        Assert.Equal((Decision.Allow, CallOutcome.Interrupted, "Bash(rm:*)"), (c3.Decision, c3.Outcome, c3.Rule));
    }

    [Fact]
    public async Task A_journal_written_before_the_read_model_existed_fills_it_once_at_start()
    {
        await RecordCalls();
        await StopTestKitSystemAsync();
        Backend.Execute($"DROP TABLE {HistoryTable}");

        await using var host = await OrchestratorTestHost.StartAsync(Backend.Options);

        await AssertSameAsScan(host.System);
        await using var history = new JournalHistory(host.System);
        Assert.Equal(6, (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Count);
    }

    [Fact]
    public async Task A_row_edited_to_point_at_another_calls_event_fails_the_replay_instead_of_being_believed()
    {
        await RecordCalls();
        await using var history = new JournalHistory(Sys);
        await AwaitAssertAsync(async () => Assert.Equal(6, (await history.ListAsync(HistoryFilter.All, 0, 100)).Calls.Count), Patience);
        Assert.Equal(1, Backend.Execute($"UPDATE {HistoryTable} SET received_seq = 1 WHERE call_id = @c", ("@c", "c-5")));

        var failure = await Assert.ThrowsAsync<JournalIntegrityException>(async () =>
        {
            await foreach (var _ in history.RecordedDecisionsAsync(null, null, null)) { }
        });
        Assert.Contains("c-5", failure.Message);
        Assert.Contains(CallDirectoryStore.HistoryTableName, failure.Message);
    }
}

public sealed class SqliteHistoryModelSpecs(ITestOutputHelper output) : HistoryModelSpecs(new SqliteBackend(), output);

public sealed class PostgresHistoryModelSpecs(ITestOutputHelper output) : HistoryModelSpecs(PostgresBackend.FromEnvironment(), output);

/// <summary>The same, with Akka.Persistence.Sql writing the events and the model kept after its writes.</summary>
public sealed class SqliteHistoryModelAroundAkkaWritesSpecs(ITestOutputHelper output) : HistoryModelSpecs(new SqliteBackend(), output)
{
    protected override void ConfigureAkka(Akka.Hosting.AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.AddHocon($"akka.persistence.journal.sql.{IntegrityJournal.OwnWriterSetting} = off", Akka.Hosting.HoconAddMode.Prepend);
        base.ConfigureAkka(builder, provider);
    }
}
