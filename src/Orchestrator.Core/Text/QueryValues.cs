using System.Globalization;

namespace Orchestrator.Core.Text;

/// <summary>The reading of a listing's query values shared by <c>GET /v1/history</c> and <c>GET /v1/approvals</c>.</summary>
public static class QueryValues
{
    /// <summary>The value trimmed, or null when it is missing or blank (a blank filter filters nothing).</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A page size of 1 to <paramref name="max"/>, <paramref name="fallback"/> when not given; else the error.</summary>
    public static string? Limit(string? text, int fallback, int max, out int limit)
    {
        limit = fallback;
        if (Blank(text) is not { } given) return null;
        return int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 && limit <= max
            ? null
            : $"limit must be 1-{max}, not '{given}'";
    }

    /// <summary>The error for a cursor that is not the <c>next</c> of a previous page.</summary>
    public static string BadCursor(string cursor) => $"cursor must be the 'next' of a previous page, not '{cursor}'";
}
