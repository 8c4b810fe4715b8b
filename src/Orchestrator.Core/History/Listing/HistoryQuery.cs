using System.Globalization;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Text;
using static Orchestrator.Core.Text.QueryValues;

namespace Orchestrator.Core.History.Listing;

/// <summary>
/// The history's filters as text — the query of <c>GET /v1/history</c> and the options of <c>orchestrator history</c>:
/// <c>agent</c>, <c>session</c>, <c>workspace</c>, <c>tool</c>, <c>rule</c>, <c>from</c>/<c>to</c> (ISO 8601),
/// <c>decision</c> (allow, ask, deny), <c>outcome</c> (kebab-case <see cref="CallOutcome"/>, or <c>open</c>),
/// <c>cursor</c> and <c>limit</c> (1-1000, default 100).
/// </summary>
public static class HistoryQuery
{
    public const int DefaultLimit = 100, MaxLimit = 1000;

    public static readonly string[] Names = ["agent", "session", "workspace", "from", "to", "decision", "outcome", "tool", "rule", "cursor", "limit"];

    /// <summary>The filter, cursor and limit the values say, or the one-line error naming the bad value.</summary>
    public static (HistoryFilter Filter, long After, int Limit, string? Error) Parse(Func<string, string?> value)
    {
        var filter = new HistoryFilter
        {
            Agent = Blank(value("agent")), Session = Blank(value("session")), Workspace = Blank(value("workspace")),
            Tool = Blank(value("tool")), Rule = Blank(value("rule")),
        };
        foreach (var name in new[] { "from", "to" })
        {
            if (Blank(value(name)) is not { } text) continue;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return Fail($"{name} must be an ISO 8601 time (e.g. 2026-12-03T10:00:00Z), not '{text}'");
            filter = name == "from" ? filter with { From = at } : filter with { To = at };
        }
        if (Blank(value("decision")) is { } decision)
        {
            if (!TryEnum<Decision>(decision, out var d)) return Fail($"decision must be allow, ask or deny, not '{decision}'");
            filter = filter with { Decision = d };
        }
        if (Blank(value("outcome")) is { } outcome)
        {
            if (outcome == "open") filter = filter with { OnlyOpen = true };
            else if (TryEnum<CallOutcome>(outcome, out var o)) filter = filter with { Outcome = o };
            else return Fail($"outcome must be open or one of {string.Join(", ", Enum.GetValues<CallOutcome>().Select(v => KebabCase.Of(v)))}, not '{outcome}'");
        }
        var after = 0L;
        if (Blank(value("cursor")) is { } cursor && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            return Fail(BadCursor(cursor));
        if (Limit(value("limit"), DefaultLimit, MaxLimit, out var limit) is { } badLimit) return Fail(badLimit);
        return (filter, after, limit, null);
    }

    private static (HistoryFilter, long, int, string?) Fail(string error) => (HistoryFilter.All, 0, 0, error);

    private static bool TryEnum<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (string.Equals(KebabCase.Of(candidate), text, StringComparison.OrdinalIgnoreCase)) { value = candidate; return true; }
        value = default;
        return false;
    }
}
