using Akka.Actor;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Journal;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Tests.Support;

/// <summary>Call events for the history read model's specs, and the check that the model reads as a scan of the journal.</summary>
internal static class HistoryFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static CallReceived Received(string call, string session, string agent, string tool, int minute, string? workspace = "/ws/a") =>
        (CallReceived)SampleValues.Create(typeof(CallReceived))! with
        {
            CallId = new CallId(call), Session = new SessionId(session), Agent = new AgentId(agent), ReceivedAt = T0.AddMinutes(minute),
            Call = ToolCall.Bash("echo " + call, "/ws/a") with
            {
                Id = new CallId(call), ToolName = tool, Agent = new AgentId(agent), Session = new SessionId(session), Workspace = workspace,
            },
        };

    public static CallDecided Decided(string call, Decision decision, string? rule, int minute) =>
        (CallDecided)SampleValues.Create(typeof(CallDecided))! with
        {
            CallId = new CallId(call), DecidedAt = T0.AddMinutes(minute), UpdatedInput = null,
            Verdict = ((CallDecided)SampleValues.Create(typeof(CallDecided))!).Verdict with
            {
                Decision = decision, Reason = $"{decision} by {rule ?? "default"}",
                Rule = rule is null ? null : new MatchedRule((RuleDecision)decision, rule, SettingsLayer.Project, "/ws/a/.orchestrator/settings.json", 1, 1),
            },
        };

    public static CallCompleted Completed(string call, CallOutcome outcome, int minute) =>
        (CallCompleted)SampleValues.Create(typeof(CallCompleted))! with { CallId = new CallId(call), Outcome = outcome, CompletedAt = T0.AddMinutes(minute) };

    /// <summary>Stores <paramref name="events"/> in one atomic write of session <paramref name="session"/>'s journal; completes once committed.</summary>
    public static Task Persist(ActorSystem system, string session, params object[] events) =>
        system.ActorOf(TestEventLog.Props("session-" + session)).Ask<Appended>(new AppendAll([.. events]), TimeSpan.FromSeconds(30));

    /// <summary>Calls of every shape: decided in their first write or later, ended, interrupted, open, undecided, decided twice, over several sessions and writes.</summary>
    public static async Task RecordCalls(ActorSystem system)
    {
        await Persist(system, "s1", Received("c-1", "s1", "alice", "Bash", 0), Decided("c-1", Decision.Allow, "Bash(echo:*)", 0));
        await Persist(system, "s2", new CallReceivedAndDecided(Received("c-2", "s2", "bob", "Read", 1, workspace: null), Decided("c-2", Decision.Deny, "Read(./.env)", 1),
            Completed: Completed("c-2", CallOutcome.Denied, 1)));
        await Persist(system, "s1", Completed("c-1", CallOutcome.AllowedAndRan, 2));
        await Persist(system, "s1", Received("c-3", "s1", "alice", "Bash", 3), Decided("c-3", Decision.Ask, "Bash(rm:*)", 3));
        await Persist(system, "s3", Received("c-4", "s3", "carol", "WebFetch", 4));
        await Persist(system, "s1", Decided("c-3", Decision.Allow, "Bash(rm:*)", 5), new CallInterrupted(new CallId("c-3"), "restart", T0.AddMinutes(6)));
        await Persist(system, "s2", Received("c-5", "s2", "bob", "bash", 7), Decided("c-5", Decision.Allow, null, 7), Completed("c-5", CallOutcome.Failed, 8));
        await Persist(system, "s3", Decided("c-4", Decision.Ask, "WebFetch(domain:example.com)", 9));
        await Persist(system, "s4", new CallReceivedAndDecided(Received("c-6", "s4", "alice", "Edit", 10, workspace: "/ws/b"), Decided("c-6", Decision.Allow, "Edit", 10)));
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

    private static readonly string[] CallManifests = JournalScan.ManifestsOf(typeof(CallReceived), typeof(CallReceivedAndDecided),
        typeof(CallDecided), typeof(CallCompleted), typeof(CallInterrupted));

    /// <summary>
    /// Up to <paramref name="limit"/> calls matching <paramref name="filter"/> whose first event lies after
    /// <paramref name="after"/>, read from the journal: the check of <see cref="JournalHistory.ListAsync"/>. Each call folds
    /// every event of its own session wherever it lies — one after the call's end too (a decision then is still the call's,
    /// as the model and a replay take it) — so the whole journal after <paramref name="after"/> is read for each page.
    /// </summary>
    public static async Task<HistoryPage> ScanAsync(JournalHistory history, HistoryFilter filter, long after, int limit)
    {
        var calls = new List<CallSummary>();
        var tracked = new Dictionary<string, (int Index, string PersistenceId)>(StringComparer.Ordinal);
        await foreach (var (position, persistenceId, evt) in history.RowsAsync(CallManifests, after, CancellationToken.None))
        {
            if (evt is not CallEvent e) continue;
            if (tracked.TryGetValue(e.CallId.Value, out var held))
            {
                // A call id is its first session's: another session's events of it change nothing (as in the call directory).
                if (held.PersistenceId == persistenceId) calls[held.Index] = CallSummaryFold.Apply(calls[held.Index], e);
            }
            else if (CallSummaryFold.Start(position, e) is { } started)
            {
                tracked[started.CallId] = (calls.Count, persistenceId);
                calls.Add(started);
            }
        }
        var page = calls.Where(filter.Matches).Take(limit).ToList();
        return new HistoryPage(page, page.Count >= limit ? page[^1].Position : null);
    }

    /// <summary>Every filter and page of the model equals the scan of the journal, and so do the recorded decisions replay reads.</summary>
    public static async Task AssertSameAsScan(ActorSystem system, int[]? limits = null)
    {
        await using var history = new JournalHistory(system);
        foreach (var filter in Filters())
            foreach (var limit in limits ?? [1, 2, 100])
            {
                var model = await Pages(after => history.ListAsync(filter, after, limit));
                var scan = await Pages(after => ScanAsync(history, filter, after, limit));
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
            await foreach (var (_, d) in history.DecisionsAsync(0, from, to, agent)) scanned.Add(Fields(d));
            var modelled = new List<string>();
            await foreach (var d in history.RecordedDecisionsAsync(from, to, agent)) modelled.Add(Fields(d));
            Assert.Equal(scanned, modelled);
        }
    }

    /// <summary>Every field of a recorded decision (the received time with its offset): equal for the same decision however it was read.</summary>
    public static string Fields(RecordedDecision d) => System.Text.Json.JsonSerializer.Serialize(d) + " " + d.ReceivedAt.ToString("O");

    /// <summary>The journal's store, as the actor system's journal configuration names it.</summary>
    public static CallDirectoryStore StoreOf(ActorSystem system)
    {
        var config = system.Settings.Config.GetConfig(CallDirectory.JournalConfigPath);
        var schema = config.GetString("default.schema-name", null);
        return CallDirectoryStore.For(config.GetString("provider-name"), config.GetString("connection-string"),
            string.IsNullOrEmpty(schema) || schema == "null" ? null : schema);
    }
}
