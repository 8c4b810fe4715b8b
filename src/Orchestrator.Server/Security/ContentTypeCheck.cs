using Microsoft.Net.Http.Headers;

namespace Orchestrator.Server.Security;

/// <summary>
/// Writes carry JSON: POST, PUT and PATCH (and a DELETE with a body) need <c>Content-Type: application/json</c>, so a
/// page cannot send a "simple" <c>text/plain</c> or form request that skips the browser's preflight. Otherwise 415.
/// </summary>
public static class ContentTypeCheck
{
    public static string? Problem(string method, string? contentType, bool hasBody)
    {
        var write = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || (HttpMethods.IsDelete(method) && hasBody);
        if (!write) return null;
        return MediaTypeHeaderValue.TryParse(contentType, out var parsed) &&
            parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            ? null
            : $"{method} needs Content-Type: application/json, not '{HostCheck.Printable(contentType ?? "(none)")}'";
    }
}
