using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Server.Security;

/// <summary>
/// The web console's credential: the operator's token in a <c>SameSite=Strict</c>, <c>HttpOnly</c> cookie (<c>Secure</c>
/// over https), used only when a request carries no <c>Authorization</c> header, so bearer clients are unchanged.
/// Any page in the operator's browser is assumed hostile, so a cookie-authenticated request that changes something
/// must also carry this server's <c>Origin</c> and the anti-CSRF header: an HMAC of the token that the page learns only
/// from a same-origin response (no CORS is ever sent, and the cookie itself cannot be read by script).
/// </summary>
public static class ConsoleCookie
{
    public const string Name = "orchestrator_console";
    public const string CsrfHeader = "X-Csrf-Token";

    public static string? TokenOf(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrWhiteSpace(token) ? token : null;

    /// <summary>The anti-CSRF value for a console session holding <paramref name="token"/>.</summary>
    public static string CsrfFor(string token) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "orchestrator console csrf"u8))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Null when a cookie-authenticated request may go on; otherwise why it is refused (403).</summary>
    public static string? CsrfProblem(HttpRequest request, string token)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;
        if (request.Headers.Origin.Count == 0)
            return $"a console request that changes something must carry this server's Origin ({request.Method} without one)";
        var sent = request.Headers[CsrfHeader].FirstOrDefault();
        return sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(CsrfFor(token)))
            ? null
            : $"a console request that changes something needs the {CsrfHeader} header of its session";
    }

    public static void Set(HttpContext http, string token) => http.Response.Cookies.Append(Name, token, Options(http));

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http));

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
