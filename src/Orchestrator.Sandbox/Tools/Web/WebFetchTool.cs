using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Sandbox.Tools.Web;

/// <summary>
/// Claude Code's WebFetch executed in process: a GET of <c>url</c> (http or https) under <see cref="FetchPolicy"/>,
/// each redirect (at most <see cref="MaxRedirects"/>) checked again before it is followed, the address connected to
/// checked too; no proxy from the environment, no cookies, no credentials. The body is read up to
/// <see cref="ToolLimits.MaxFetchBytes"/> (the rest is cut and said), HTML is returned as its text, other text as is,
/// anything else refused. <c>prompt</c> is not used: the page's text is the answer. Recorded: the URL asked for and
/// the final one (without their query), the status, the bytes read, the media type, redirects, and the body's digest.
/// </summary>
public sealed class WebFetchTool : IToolExecutor
{
    public const int MaxRedirects = 10;
    private static readonly HttpRequestOptionsKey<FetchPolicy> PolicyKey = new("orchestrator-fetch-policy");

    public string Tool => ToolNames.WebFetch;

    public bool HasSideEffects => false;

    public string? Validate(ToolCall call, ToolLimits limits)
    {
        var url = call.InputValue(ToolInputKeys.Url);
        if (string.IsNullOrWhiteSpace(url)) return "WebFetch needs a 'url'";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            return $"'{url}' is not an http(s) URL";
        return null;
    }

    public async Task<ToolOutcome> RunAsync(ToolRun run, CancellationToken cancellation)
    {
        if (Validate(run.Call, run.Limits) is { } problem) return ToolOutcome.Failed(problem);
        var requested = new Uri(run.Call.InputValue(ToolInputKeys.Url)!);
        var policy = new FetchPolicy(run.Policy, run.Network, requested.IdnHost);
        using var handler = Handler();
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var uri = requested;
        var redirects = 0;
        while (true)
        {
            if (policy.Refusal(uri) is { } refusal)
                return ToolOutcome.Failed(redirects == 0 ? refusal : $"redirected to {Shown(uri)}: {refusal}", Record(requested, uri, null, redirects, null, null, false));
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Options.Set(PolicyKey, policy);
            request.Headers.UserAgent.ParseAdd("Orchestrator-WebFetch/1");
            HttpResponseMessage response;
            try { response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false); }
            catch (HttpRequestException e)
            {
                return ToolOutcome.Failed($"GET {Shown(uri)} failed: {Innermost(e)}", Record(requested, uri, null, redirects, null, null, false));
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (++redirects > MaxRedirects)
                        return ToolOutcome.Failed($"more than {MaxRedirects} redirects from {Shown(requested)}", Record(requested, uri, status, redirects, null, null, false));
                    uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    continue;
                }
                var (body, truncated) = await ReadBounded(response, run.Limits.MaxFetchBytes, cancellation).ConfigureAwait(false);
                var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
                var record = Record(requested, uri, status, redirects, body, mediaType, truncated);
                if (status >= 400)
                    return ToolOutcome.Failed($"GET {Shown(uri)} answered {status} {response.ReasonPhrase}", record);
                if (!HtmlText.IsText(mediaType) || body.AsSpan().IndexOf((byte)0) >= 0)
                    return ToolOutcome.Failed($"{Shown(uri)} is {mediaType ?? "binary content"}, not text; WebFetch returns text and HTML only", record);
                var text = Decode(body, response.Content.Headers.ContentType?.CharSet);
                if (HtmlText.IsHtml(mediaType)) text = HtmlText.Extract(text);
                if (truncated) text += $"\n(The page is longer than {run.Limits.MaxFetchBytes:N0} bytes; the rest was not read.)";
                return ToolOutcome.Ok(text, record);
            }
        }
    }

    private static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Connects to the first address of the host the policy admits, so the address checked is the one used.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var policy = context.InitialRequestMessage.Options.TryGetValue(PolicyKey, out var p) ? p : throw new HttpRequestException("no fetch policy");
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellation).ConfigureAwait(false);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (policy.AddressRefusal(host, address) is { } refused) { refusal ??= refused; continue; }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellation).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refusal = $"{host} ({address}): {e.Message}";
            }
        }
        throw new HttpRequestException(refusal ?? $"{host} has no address");
    }

    private static async Task<(byte[] Body, bool Truncated)> ReadBounded(HttpResponseMessage response, long max, CancellationToken cancellation)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
        {
            var room = max - buffer.Length;
            if (read > room) { buffer.Write(chunk, 0, (int)room); return (buffer.ToArray(), true); }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), false);
    }

    private static string Decode(byte[] body, string? charset)
    {
        Encoding encoding;
        try { encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"')); }
        catch (ArgumentException) { encoding = Encoding.UTF8; }
        return encoding.GetString(body);
    }

    /// <summary>A URL as shown and recorded: without its query or fragment, which may carry secrets.</summary>
    public static string Shown(Uri uri) => uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 1 ? "?…" : "");

    private ToolRecord Record(Uri requested, Uri final, int? status, int redirects, byte[]? body, string? mediaType, bool truncated)
    {
        var details = ImmutableSortedDictionary<string, string>.Empty
            .Add("final-url", Shown(final))
            .Add("redirects", redirects.ToString(CultureInfo.InvariantCulture));
        if (status is { } s) details = details.Add("status", s.ToString(CultureInfo.InvariantCulture));
        if (body is not null) details = details.Add("bytes", body.Length.ToString(CultureInfo.InvariantCulture)).Add("truncated", truncated ? "true" : "false");
        if (mediaType is not null) details = details.Add("content-type", mediaType);
        return new ToolRecord(Tool, Shown(requested), Digest: body is null ? null : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)), Details: details);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
