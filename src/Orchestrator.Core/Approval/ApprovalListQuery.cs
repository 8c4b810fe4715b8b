using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Text;

namespace Orchestrator.Core.Approval;

/// <summary>
/// One page of the pending approvals — the query of <c>GET /v1/approvals</c>: filters <c>agent</c>, <c>session</c>,
/// <c>workspace</c> (exact) and <c>sessionPrefix</c> (the session id starts with it, ordinal; a load test's run names
/// its sessions under one prefix) — every one given must hold —, <c>cursor</c> (a page's <c>next</c>: the page resumes after it)
/// and <c>limit</c> (1-1000, default 100). The order is <see cref="ApprovalPosition"/>'s: earliest deadline first.
/// </summary>
public sealed record ApprovalListQuery
{
    public const int DefaultLimit = 100, MaxLimit = 1000;

    /// <summary>The first page of the default size, every approval matching (what a client naming nothing gets).</summary>
    public static readonly ApprovalListQuery FirstPage = new();

    public static readonly string[] Names = ["agent", "session", "sessionPrefix", "workspace", "cursor", "limit"];

    public string? Agent { get; init; }
    public string? Session { get; init; }
    public string? Workspace { get; init; }
    public string? SessionPrefix { get; init; }

    /// <summary>The page starts after this position (exclusive); null: from the first pending approval.</summary>
    public ApprovalPosition? After { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public bool Matches(ApprovalRequested request) =>
        (Agent is null || request.Agent.Value == Agent)
        && (Session is null || request.Session.Value == Session)
        && (Workspace is null || request.Workspace == Workspace)
        && (SessionPrefix is null || request.Session.Value.StartsWith(SessionPrefix, StringComparison.Ordinal));

    /// <summary>The query the values say, or the one-line error naming the bad value.</summary>
    public static (ApprovalListQuery? Query, string? Error) Parse(Func<string, string?> value)
    {
        ApprovalPosition? after = null;
        if (QueryValues.Blank(value("cursor")) is { } cursor)
        {
            if (!ApprovalPosition.TryParseCursor(cursor, out var position)) return (null, QueryValues.BadCursor(cursor));
            after = position;
        }
        var sessionPrefix = QueryValues.Blank(value("sessionPrefix"));
        if (sessionPrefix is not null && IdSyntax.PrefixProblem("sessionPrefix", sessionPrefix) is { } badPrefix) return (null, badPrefix);
        if (QueryValues.Limit(value("limit"), DefaultLimit, MaxLimit, out var limit) is { } badLimit) return (null, badLimit);
        return (new ApprovalListQuery
        {
            Agent = QueryValues.Blank(value("agent")), Session = QueryValues.Blank(value("session")),
            Workspace = QueryValues.Blank(value("workspace")), SessionPrefix = sessionPrefix, After = after, Limit = limit,
        }, null);
    }
}
