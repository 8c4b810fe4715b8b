using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Orchestrator.Cli.Commands.LoadTest;

namespace Orchestrator.Cli.Tests.LoadTest;

/// <summary>
/// The load tester's approver reads every page of its own run's approvals (<c>sessionPrefix</c>) and answers only
/// those whose session and call id both carry the run's prefix, whether or not the server applies the filter.
/// </summary>
public sealed class LoadTestApproverTests
{
    private const string Prefix = "lt-run-";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_operator_bot_answers_its_runs_approvals_spread_over_more_pages_than_one_and_no_others(bool serverFilters)
    {
        // Others' 15 approvals come first in the listing, then two strays carrying the prefix in only one of their ids;
        // this run's 12 follow, over pages of 5.
        var approvals = Enumerable.Range(0, 15).Select(i => ($"ap-{i:D3}", $"other-s{i}", $"other-{i}"))
            .Append(("ap-015", $"{Prefix}s1", "other-x")).Append(("ap-016", "other-s1", $"{Prefix}x"))
            .Concat(Enumerable.Range(17, 12).Select(i => ($"ap-{i:D3}", $"{Prefix}s{i % 3}", $"{Prefix}{i}"))).ToList();
        var server = new PagedApprovals([.. approvals], ownCount: 12, serverFilters);
        using var http = new HttpClient(server) { BaseAddress = new Uri("http://stub/") };
        var approver = new LoadTestApprover(http, new ApproverSpec(ApproverSpec.Kind.OperatorBot, ApproveProbability: 1), Prefix, pageSize: 5);
        using var stop = new CancellationTokenSource();

        var running = approver.RunAsync(stop.Token);
        try { await server.AllOwnAnswered.WaitAsync(TimeSpan.FromSeconds(60)); }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        Assert.Equal(approvals.Skip(17).Select(a => a.Item1).Order(), server.Answered.Keys.Order());
        Assert.All(server.Answered.Values, count => Assert.Equal(1, count));
        Assert.Equal(12, approver.Approved);
        Assert.Equal(0, approver.ListErrors);
        Assert.True(server.PagesServed > 2, $"{server.PagesServed} pages served");
        Assert.All(server.Queries, q => Assert.Equal(Prefix, q["sessionPrefix"]));
    }

    /// <summary>
    /// A listing paged as the server pages it (by approval id here), filtered by <c>sessionPrefix</c> when
    /// <paramref name="filters"/> (else as a server from before the filter: everything); answers remove their approval.
    /// </summary>
    private sealed class PagedApprovals(List<(string ApprovalId, string SessionId, string CallId)> pending, int ownCount, bool filters) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _allOwnAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _pages;

        public ConcurrentDictionary<string, int> Answered { get; } = new();
        public ConcurrentQueue<System.Collections.Specialized.NameValueCollection> Queries { get; } = new();
        public Task AllOwnAnswered => _allOwnAnswered.Task;
        public int PagesServed => Volatile.Read(ref _pages);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri!;
            if (request.Method == HttpMethod.Post)
            {
                var id = Uri.UnescapeDataString(uri.AbsolutePath["/v1/approvals/".Length..]);
                lock (pending) pending.RemoveAll(a => a.ApprovalId == id);
                Answered.AddOrUpdate(id, 1, (_, n) => n + 1);
                if (Answered.Count == ownCount) _allOwnAnswered.TrySetResult();
                return Task.FromResult(Json("""{"answer":{}}"""));
            }
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            Queries.Enqueue(query);
            var limit = int.Parse(query["limit"] ?? "100", System.Globalization.CultureInfo.InvariantCulture);
            var after = query["cursor"] ?? "";
            var prefix = filters ? query["sessionPrefix"] ?? "" : "";
            List<(string ApprovalId, string SessionId, string CallId)> page;
            bool more;
            int total;
            lock (pending)
            {
                var matching = pending.Where(a => a.SessionId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                var rest = matching.Where(a => string.CompareOrdinal(a.ApprovalId, after) > 0).ToList();
                page = [.. rest.Take(limit)];
                more = rest.Count > limit;
                total = matching.Count;
            }
            Interlocked.Increment(ref _pages);
            return Task.FromResult(Json(JsonSerializer.Serialize(new
            {
                approvals = page.Select(a => new { approvalId = a.ApprovalId, sessionId = a.SessionId, callId = a.CallId }),
                next = more ? page[^1].ApprovalId : null,
                total,
            })));
        }

        private static HttpResponseMessage Json(string body) =>
            new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
