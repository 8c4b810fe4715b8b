using Orchestrator.Core.History.Listing;
using Orchestrator.Core.History.Replay;
using Orchestrator.Core.Text;

namespace Orchestrator.Server;

/// <summary>
/// The JSON shapes of the history (<c>GET /v1/history</c>, <c>orchestrator history --json</c>), of a replay's diff
/// (<c>POST /v1/replay</c>, <c>orchestrator replay --json</c>) and of the shadow's summary: the same for the server and
/// for the CLI reading a journal directly. Enum values are kebab-case, as everywhere Orchestrator prints them.
/// </summary>
public static class HistoryViews
{
    public sealed record CallLine(
        long Position, string CallId, string SessionId, string Agent, string? Workspace, string Tool, string Subject,
        DateTimeOffset ReceivedAt, string? Decision, string? Reason, string? Rule, string? Layer, string? Outcome, DateTimeOffset? EndedAt);

    public sealed record Page(IReadOnlyList<CallLine> Calls, string? Next);

    public sealed record ChangeGroup(string Rule, string Before, string After, long Count, IReadOnlyList<ReplayExample> Examples);

    public sealed record Report(long Replayed, long Changed, long Undecidable, IReadOnlyList<ChangeGroup> ByRule,
        IReadOnlyList<ReplayExample> UndecidableExamples, double Seconds, double CallsPerSecond, int Cores);

    public sealed record Shadow(string? Candidate, long Disagreements, IReadOnlyList<ChangeGroup> ByRule);

    /// <summary>The shadow's disagreements: before is the enforced decision, after the candidate's.</summary>
    public static Shadow ShadowOf(ReplayReport report, string? candidate) => new(candidate, report.Changed, Groups(report));

    private static ChangeGroup[] Groups(ReplayReport report) =>
        [.. report.ByRule.Select(g => new ChangeGroup(g.Rule, KebabCase.Of(g.Before), KebabCase.Of(g.After), g.Count, g.Examples))];

    public static CallLine Line(CallSummary c) => new(c.Position, c.CallId, c.Session, c.Agent, c.Workspace, c.Tool, c.Subject, c.ReceivedAt,
        c.Decision is { } d ? KebabCase.Of(d) : null, c.Reason, c.Rule, c.Layer is { } l ? KebabCase.Of(l) : null,
        c.Outcome is { } o ? KebabCase.Of(o) : null, c.EndedAt);

    public static Page PageOf(IEnumerable<CallSummary> calls, long? next) =>
        new([.. calls.Select(Line)], next?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <param name="cores">The cores the replay judged on.</param>
    public static Report ReportOf(ReplayReport report, TimeSpan elapsed, int cores) => new(report.Replayed, report.Changed, report.Undecidable,
        Groups(report), report.UndecidableExamples, Math.Round(elapsed.TotalSeconds, 3),
        elapsed.TotalSeconds > 0 ? Math.Round(report.Replayed / elapsed.TotalSeconds) : 0, cores);
}
