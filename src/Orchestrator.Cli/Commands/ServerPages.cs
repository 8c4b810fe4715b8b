using System.Text.Json;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// A paged listing of a running server (<c>GET /v1/history</c>, <c>GET /v1/approvals</c>): the filters given as a query,
/// then a page at a time, each page's <c>next</c> the cursor of the one after it.
/// </summary>
internal static class ServerPages
{
    /// <summary>The query of the filters that have a value (the cursor goes separately, page by page).</summary>
    public static string Query(IEnumerable<string> names, Func<string, string?> value) =>
        string.Join('&', names.Where(n => n != "cursor" && value(n) is not null).Select(n => $"{n}={Uri.EscapeDataString(value(n)!)}"));

    /// <summary>A page's cursor of the next page; null on the last.</summary>
    public static string? NextOf(JsonElement page) =>
        page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;

    /// <summary>
    /// Reads the page after <paramref name="cursor"/> (the first when null) and hands its body to <paramref name="onPage"/>,
    /// which returns the next page's cursor; with <paramref name="all"/> on until the last page. Returns the cursor
    /// left (null when the listing was read to its end), or the server's error.
    /// </summary>
    public static async Task<(string? Next, string? Error)> FollowAsync(ServerClient client, string path, string query, string? cursor, bool all,
        Func<JsonElement, string?> onPage, CancellationToken ct)
    {
        do
        {
            var response = await client.SendAsync(HttpMethod.Get, $"{path}?{query}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", null, ct);
            if (!response.IsSuccess) return (null, response.ErrorText);
            cursor = onPage(response.Body);
        }
        while (all && cursor is not null);
        return (cursor, null);
    }
}
