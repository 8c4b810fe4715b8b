namespace Orchestrator.Server.Security;

/// <summary>
/// A web page may not drive the API: a request carrying an <c>Origin</c> (browsers send it on cross-origin requests
/// and on every POST) must come from this server's own origin. No CORS headers are ever sent.
/// </summary>
public static class OriginCheck
{
    /// <summary>Null when acceptable. <paramref name="host"/> is the (already checked) Host header.</summary>
    public static string? Problem(string? origin, string? secFetchSite, string scheme, string? host)
    {
        if (secFetchSite is "cross-site" or "same-site")
            return $"a {secFetchSite} browser request may not use this API";
        if (origin is null) return null;
        return string.Equals(origin, $"{scheme}://{host}", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Origin '{HostCheck.Printable(origin)}' is not this server; the API is not for web pages of other origins";
    }
}
