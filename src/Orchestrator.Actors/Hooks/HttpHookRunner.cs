using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs http hooks over one shared client: no redirects (the hook's URL is the only place its data may go), no cookies,
/// the answer's body kept up to <see cref="ShellHookProcessRunner.MaxCapturedBytes"/> and the rest drained unread.
/// </summary>
public sealed class HttpHookRunner : IHookHttpRunner, IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        // The Polly timeout of each hook governs; the client's own must never cut in first.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<HookProcessResult> PostAsync(HookHttpRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(request.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
            if (!message.Headers.TryAddWithoutValidation(name, value))
                return HookProcessResult.NotCompleted($"header '{name}' cannot be sent", clock.Elapsed);
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new HookProcessResult(0, body, "", clock.Elapsed)
                : HookProcessResult.NotCompleted($"http status {status}", clock.Elapsed, standardError: body);
        }
        catch (HttpRequestException e)
        {
            return HookProcessResult.NotCompleted($"http request failed: {e.Message}", clock.Elapsed);
        }
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var room = ShellHookProcessRunner.MaxCapturedBytes - (int)kept.Length;
            if (room > 0) kept.Write(buffer, 0, Math.Min(room, read));
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    public void Dispose() => _client.Dispose();
}
