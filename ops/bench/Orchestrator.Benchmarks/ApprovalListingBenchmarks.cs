using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The approval broker's work for one <c>GET /v1/approvals</c> with 10,000 pending approvals (50 agents, one session
/// each): before session 29 every poll copied every pending approval (<c>all pending, copied</c>, what the broker did);
/// now it answers one page from its ordered index — the default first page, a page of 1,000, a page deep in the
/// listing (by cursor) and one agent's first page. The load tester's approver: every page of 1,000 (its tick before
/// it filtered), and its run's own by <c>sessionPrefix</c> — none, or 500 over 100 sessions of its run besides the 10,000.
/// Run: <c>ops/bench/run.sh ApprovalListing</c>.
/// </summary>
[MemoryDiagnoser]
public class ApprovalListingBenchmarks
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private ApprovalBook _book = null!, _withRun = null!;
    private ApprovalListQuery _deep = null!;
    private static readonly ApprovalListQuery RunsOwn = new() { SessionPrefix = "lt-0123abcd-", Limit = ApprovalListQuery.MaxLimit };

    [Params(10_000)]
    public int Pending { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _book = Enumerable.Range(0, Pending).Aggregate(ApprovalBook.Empty, (book, n) => book.Apply(Request(n, $"s-{n % 50}")));
        _withRun = Enumerable.Range(Pending, 500).Aggregate(_book, (book, n) => book.Apply(Request(n, $"lt-0123abcd-s{n % 100}")));
        var middle = _book.Pending.Skip(Pending / 2).First();
        _deep = ApprovalListQuery.FirstPage with { After = ApprovalPosition.Of(middle) };
    }

    private static ApprovalRequested Request(int n, string session) => new(
        new CallId($"call-{n}"), new ApprovalId($"ap-{n:D6}"), new AgentId($"agent-{n % 50}"), new SessionId(session),
        ToolNames.Bash, "git push", "Bash: git push", ReasonClass.RuleAsk, "ask rule", GrantScope.Once, "operators", 0, T0,
        T0.AddSeconds(n % 600), Workspace: "/ws");

    [Benchmark(Baseline = true, Description = "all pending, copied (before)")]
    public int AllPending() => ((IReadOnlyList<ApprovalRequested>)[.. _book.Pending]).Count;

    [Benchmark(Description = "first page (100)")]
    public int FirstPage() => _book.Page(ApprovalListQuery.FirstPage).Approvals.Count;

    [Benchmark(Description = "first page (1,000)")]
    public int Page1000() => _book.Page(ApprovalListQuery.FirstPage with { Limit = ApprovalListQuery.MaxLimit }).Approvals.Count;

    [Benchmark(Description = "page of 100 after 5,000")]
    public int Deep() => _book.Page(_deep).Approvals.Count;

    [Benchmark(Description = "one agent's first page (100 of 200)")]
    public int OneAgent() => _book.Page(new ApprovalListQuery { Agent = "agent-7" }).Approvals.Count;

    [Benchmark(Description = "every page of 1,000 (the load tester's tick before)")]
    public int EveryPage()
    {
        var query = ApprovalListQuery.FirstPage with { Limit = ApprovalListQuery.MaxLimit };
        var listed = 0;
        while (true)
        {
            var page = _book.Page(query);
            listed += page.Approvals.Count;
            if (page.NextAfter is not { } after) return listed;
            query = query with { After = after };
        }
    }

    [Benchmark(Description = "a run's own by sessionPrefix, none pending")]
    public int RunsOwnNone() => _book.Page(RunsOwn).Approvals.Count;

    [Benchmark(Description = "a run's own by sessionPrefix, 500 over 100 sessions")]
    public int RunsOwn500() => _withRun.Page(RunsOwn).Approvals.Count;
}
