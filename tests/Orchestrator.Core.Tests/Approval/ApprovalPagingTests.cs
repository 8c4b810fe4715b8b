using CsCheck;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using static Orchestrator.Core.Tests.Lifecycle.CallFixtures;

namespace Orchestrator.Core.Tests.Approval;

/// <summary><c>GET /v1/approvals</c>'s pages: order, cursor, filters, totals and bad values.</summary>
public class ApprovalPagingTests
{
    private static readonly string[] Agents = ["agent-a", "agent-b", "agent-c"];
    private static readonly string[] Sessions = ["s-1", "s-2", "s-3", "s-10", "t-1"];
    private static readonly string?[] Workspaces = ["/ws/one", "/ws/two", null];

    private static ApprovalRequested Request(int n, int deadlineSeconds, int agent = 0, int session = 0, int workspace = 0) =>
        new(new CallId($"call-{n}"), new ApprovalId($"ap-{n}"), new AgentId(Agents[agent % Agents.Length]),
            new SessionId(Sessions[session % Sessions.Length]), ToolNames.Bash, "git push", "Bash: git push", ReasonClass.RuleAsk, "ask rule",
            GrantScope.Once, "operators", 0, T0, T0.AddSeconds(deadlineSeconds), Workspace: Workspaces[workspace % Workspaces.Length]);

    private static ApprovalAnswered Answer(ApprovalRequested r) => new(r.CallId, r.ApprovalId, false, GrantScope.Once, null, "op", T0);

    private static ApprovalBook Book(IEnumerable<ApprovalRequested> requests) => requests.Aggregate(ApprovalBook.Empty, (b, r) => b.Apply(r));

    /// <summary>Pages through the book as a client does, letting <paramref name="between"/> change it after each page.</summary>
    private static (List<ApprovalPage> Pages, ApprovalBook End) Walk(ApprovalBook book, ApprovalListQuery query, Func<int, ApprovalBook, ApprovalBook> between)
    {
        var pages = new List<ApprovalPage>();
        while (true)
        {
            var page = book.Page(query);
            pages.Add(page);
            Assert.True(pages.Count < 10_000, "paging did not end");
            if (page.Next is null) return (pages, book);
            Assert.True(ApprovalPosition.TryParseCursor(page.Next, out var after), $"the cursor {page.Next} reads back");
            Assert.Equal(page.NextAfter, after);
            book = between(pages.Count, book);
            query = query with { After = after };
        }
    }

    [Fact]
    public void Pages_list_every_approval_once_earliest_deadline_first_ties_by_id()
    {
        var requests = Enumerable.Range(0, 25).Select(n => Request(n, deadlineSeconds: n % 4)).ToList();
        var (pages, _) = Walk(Book(requests), ApprovalListQuery.FirstPage with { Limit = 7 }, (_, b) => b);

        Assert.Equal([7, 7, 7, 4], pages.Select(p => p.Approvals.Count));
        Assert.All(pages, p => Assert.Equal(25, p.Total));
        var expected = requests.OrderBy(r => r.Deadline).ThenBy(r => r.ApprovalId.Value, StringComparer.Ordinal).Select(r => r.ApprovalId);
        Assert.Equal(expected, pages.SelectMany(p => p.Approvals).Select(r => r.ApprovalId));
    }

    [Fact]
    public void A_page_that_ends_exactly_at_the_last_approval_has_no_next()
    {
        var book = Book(Enumerable.Range(0, 6).Select(n => Request(n, n)));

        var page = book.Page(ApprovalListQuery.FirstPage with { Limit = 6 });

        Assert.Equal(6, page.Approvals.Count);
        Assert.Null(page.Next);
        var none = ApprovalBook.Empty.Page(ApprovalListQuery.FirstPage);
        Assert.Empty(none.Approvals);
        Assert.Null(none.Next);
        Assert.Equal(0, none.Total);
    }

    [Fact]
    public void Without_a_limit_the_first_page_holds_the_default_hundred()
    {
        var page = Book(Enumerable.Range(0, 150).Select(n => Request(n, n))).Page(ApprovalListQuery.FirstPage);

        Assert.Equal(ApprovalListQuery.DefaultLimit, page.Approvals.Count);
        Assert.Equal(150, page.Total);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public void A_cursor_whose_approval_was_answered_meanwhile_resumes_after_its_place()
    {
        var requests = Enumerable.Range(0, 10).Select(n => Request(n, n)).ToList();
        var (pages, _) = Walk(Book(requests), ApprovalListQuery.FirstPage with { Limit = 3 },
            (page, b) => page == 1 ? b.Apply(Answer(requests[2])).Apply(Answer(requests[3])) : b);

        Assert.Equal(["ap-0", "ap-1", "ap-2", "ap-4", "ap-5", "ap-6", "ap-7", "ap-8", "ap-9"],
            pages.SelectMany(p => p.Approvals).Select(r => r.ApprovalId.Value));
    }

    [Fact]
    public void Filters_by_agent_session_session_prefix_and_workspace_each_and_together_with_their_totals()
    {
        var requests = Enumerable.Range(0, 60).Select(n => Request(n, n % 7, agent: n, session: n / 3, workspace: n / 2)).ToList();
        var book = Book(requests);
        ApprovalListQuery[] queries =
        [
            new() { Agent = "agent-b", Limit = 4 }, new() { Session = "s-2", Limit = 4 }, new() { Workspace = "/ws/two", Limit = 4 },
            new() { Agent = "agent-a", Session = "s-3", Limit = 2 }, new() { Agent = "agent-c", Workspace = "/ws/one", Session = "s-1", Limit = 3 },
            new() { Agent = "nobody" }, new() { SessionPrefix = "s-1", Limit = 4 }, new() { SessionPrefix = "s-", Limit = 5 },
            new() { SessionPrefix = "s-", Agent = "agent-a", Limit = 3 }, new() { SessionPrefix = "t", Workspace = "/ws/two", Limit = 2 },
            new() { SessionPrefix = "u" }, new() { SessionPrefix = "s-10" },
        ];
        foreach (var query in queries)
        {
            var (pages, _) = Walk(book, query, (_, b) => b);
            var expected = requests.Where(query.Matches).OrderBy(ApprovalPosition.Of).Select(r => r.ApprovalId).ToList();
            Assert.Equal(expected, pages.SelectMany(p => p.Approvals).Select(r => r.ApprovalId));
            Assert.All(pages, p => Assert.Equal(expected.Count, p.Total));
        }
    }

    [Fact]
    public void Paging_while_approvals_are_answered_and_added_skips_none_that_stayed_pending_and_shows_none_twice()
    {
        var request = Gen.Select(Gen.Int[0, 20], Gen.Int[0, 2], Gen.Int[0, 4], Gen.Int[0, 2]);
        var change = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1000], request);
        Gen.Select(request.Array[0, 60], Gen.Int[1, 8], Gen.Int[0, 6], change.Array[0, 4].Array[0, 30]).Sample((initial, limit, filter, changes) =>
        {
            var next = 0;
            ApprovalRequested Make((int Deadline, int Agent, int Session, int Workspace) r) => Request(next++, r.Deadline, r.Agent, r.Session, r.Workspace);
            var start = initial.Select(Make).ToList();
            var query = filter switch
            {
                1 => new ApprovalListQuery { Agent = "agent-a" },
                2 => new ApprovalListQuery { Session = "s-2" },
                3 => new ApprovalListQuery { Workspace = "/ws/one" },
                4 => new ApprovalListQuery { Agent = "agent-b", Session = "s-1" },
                5 => new ApprovalListQuery { SessionPrefix = "s-1" },
                6 => new ApprovalListQuery { SessionPrefix = "s-", Agent = "agent-c" },
                _ => new ApprovalListQuery(),
            } with { Limit = limit };
            var answered = new HashSet<ApprovalId>();
            var pendingAtEachPage = new List<HashSet<ApprovalId>> { start.Where(query.Matches).Select(r => r.ApprovalId).ToHashSet() };

            var (pages, _) = Walk(Book(start), query, (page, book) =>
            {
                foreach (var (kind, pick, added) in page <= changes.Length ? changes[page - 1] : [])
                {
                    var pending = book.Pending.ToList();
                    if (kind == 0 && pending.Count > 0)
                    {
                        var victim = pending[pick % pending.Count];
                        answered.Add(victim.ApprovalId);
                        book = book.Apply(Answer(victim));
                    }
                    else book = book.Apply(Make(added));
                }
                pendingAtEachPage.Add(book.Pending.Where(query.Matches).Select(r => r.ApprovalId).ToHashSet());
                return book;
            });

            var seen = pages.SelectMany(p => p.Approvals).ToList();
            Assert.Equal(seen.Count, seen.Select(r => r.ApprovalId).Distinct().Count());
            Assert.All(seen, r => Assert.True(query.Matches(r)));
            Assert.Equal(seen.OrderBy(ApprovalPosition.Of).Select(r => r.ApprovalId), seen.Select(r => r.ApprovalId));
            var stayed = start.Where(r => query.Matches(r) && !answered.Contains(r.ApprovalId)).Select(r => r.ApprovalId);
            Assert.Subset(seen.Select(r => r.ApprovalId).ToHashSet(), stayed.ToHashSet());
            for (var i = 0; i < pages.Count; i++)
            {
                Assert.Equal(pendingAtEachPage[i].Count, pages[i].Total);
                Assert.All(pages[i].Approvals, r => Assert.Contains(r.ApprovalId, pendingAtEachPage[i]));
                Assert.True(pages[i].Approvals.Count <= limit);
            }
        }, iter: 300);
    }

    [Theory]
    [InlineData("limit", "0", "limit must be 1-1000, not '0'")]
    [InlineData("limit", "1001", "limit must be 1-1000, not '1001'")]
    [InlineData("limit", "-5", "limit must be 1-1000, not '-5'")]
    [InlineData("limit", "ten", "limit must be 1-1000, not 'ten'")]
    [InlineData("sessionPrefix", "lt run", "sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+0020 at position 3")]
    [InlineData("sessionPrefix", "lt-*", "sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+002A at position 4")]
    [InlineData("sessionPrefix", "lt-\u00e9", "sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got a character U+00E9 at position 4")]
    [InlineData("cursor", "not-a-cursor!", "cursor must be the 'next' of a previous page, not 'not-a-cursor!'")]
    [InlineData("cursor", "MTIz", "cursor must be the 'next' of a previous page, not 'MTIz'")]
    [InlineData("cursor", "OTk5OTk5OTk5OTk5OTk5OTk5OTk6YXAtMQ", "cursor must be the 'next' of a previous page, not 'OTk5OTk5OTk5OTk5OTk5OTk5OTk6YXAtMQ'")]
    public void A_bad_limit_or_cursor_is_refused_naming_the_value(string name, string value, string error)
    {
        var (query, problem) = ApprovalListQuery.Parse(n => n == name ? value : null);

        Assert.Null(query);
        Assert.Equal(error, problem);
    }

    [Fact]
    public void A_session_prefix_longer_than_an_id_is_refused_by_its_length_and_one_as_long_is_taken()
    {
        var (_, problem) = ApprovalListQuery.Parse(n => n == "sessionPrefix" ? new string('s', IdSyntax.MaxLength + 1) : null);
        var (query, none) = ApprovalListQuery.Parse(n => n == "sessionPrefix" ? new string('s', IdSyntax.MaxLength) : null);

        Assert.Equal("sessionPrefix must be the start of an id: 1-128 characters of A-Z a-z 0-9 _ . : @ -; got 129 characters", problem);
        Assert.Null(none);
        Assert.Equal(IdSyntax.MaxLength, query!.SessionPrefix!.Length);
    }

    [Fact]
    public void A_session_prefix_matches_the_start_of_the_session_id_ordinally()
    {
        var book = Book(Enumerable.Range(0, 5).Select(n => Request(n, n, session: n)));

        Assert.Equal(["ap-0", "ap-3"], book.Page(new ApprovalListQuery { SessionPrefix = "s-1" }).Approvals.Select(r => r.ApprovalId.Value));
        Assert.Empty(book.Page(new ApprovalListQuery { SessionPrefix = "S-1" }).Approvals);
        Assert.Empty(book.Page(new ApprovalListQuery { SessionPrefix = "-1" }).Approvals);
        Assert.Equal(["ap-4"], book.Page(new ApprovalListQuery { SessionPrefix = "t-1" }).Approvals.Select(r => r.ApprovalId.Value));
    }

    [Fact]
    public void A_session_prefix_pages_in_listing_order_across_its_sessions_while_others_are_answered_and_added()
    {
        // 10,000 approvals of other sessions around 300 of a run's 30 sessions: the run's pages hold its own, in order.
        var foreign = Enumerable.Range(0, 10_000).Select(n => RequestIn($"op-{n % 97}", n, n % 500));
        var own = Enumerable.Range(10_000, 300).Select(n => RequestIn($"lt-run1-s{n % 30}", n, n % 500)).ToList();
        var book = Book(foreign.Concat(own));
        var query = new ApprovalListQuery { SessionPrefix = "lt-run1-", Limit = 40 };

        var (pages, _) = Walk(book, query, (page, b) => page == 2 ? b.Apply(Answer(own[299])).Apply(RequestIn("lt-run1-s99", 20_000, 0)) : b);

        var expected = own.Take(299).OrderBy(ApprovalPosition.Of).Select(r => r.ApprovalId).ToList();
        var seen = pages.SelectMany(p => p.Approvals).Select(r => r.ApprovalId).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal(300, pages[0].Total);
        Assert.Equal(300, pages[^1].Total);
    }

    private static ApprovalRequested RequestIn(string session, int n, int deadlineSeconds) =>
        Request(n, deadlineSeconds) with { Session = new SessionId(session) };

    [Fact]
    public void A_cursor_naming_an_id_outside_the_id_syntax_is_refused()
    {
        var forged = Convert.ToBase64String("638000000000000000:../x y"u8.ToArray()).TrimEnd('=');

        Assert.False(ApprovalPosition.TryParseCursor(forged, out _));
        Assert.False(ApprovalPosition.TryParseCursor(new string('A', 600), out _));
        Assert.False(ApprovalPosition.TryParseCursor("", out _));
    }

    [Fact]
    public void Blank_values_are_the_defaults_and_filters_are_trimmed()
    {
        var (query, problem) = ApprovalListQuery.Parse(n => n switch { "agent" => " agent-a ", "limit" => " ", "cursor" => "", "sessionPrefix" => "  ", _ => null });

        Assert.Null(problem);
        Assert.Equal(new ApprovalListQuery { Agent = "agent-a" }, query);
    }

    [Fact]
    public void A_cursor_reads_back_as_the_position_it_was_made_from()
    {
        var at = new ApprovalPosition(T0.AddTicks(7), new ApprovalId("ap-1:x@y.z"));

        Assert.True(ApprovalPosition.TryParseCursor(at.Cursor, out var back));
        Assert.Equal(at, back);
    }
}
