using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orchestrator.Cli.Commands;

/// <summary>A small client of a running <c>orchestrator serve</c>: one request, JSON in and out, errors as one line.</summary>
internal sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http;

    public ServerClient(string baseUrl, string? token = null)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public static bool TryValidateUrl(string url, out string? error)
    {
        error = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"--server must be an http(s) URL, not '{url}'";
        return error is null;
    }

    public sealed record Response(HttpStatusCode Status, JsonElement Body)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;

        /// <summary>The server's error message, escaped for display and kept on one line.</summary>
        public string ErrorText => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? Orchestrator.Core.Text.DisplayText.Escape(e.GetString())
            : $"HTTP {(int)Status}";
    }

    public async Task<Response> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonElement json;
        try { json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { json = JsonSerializer.SerializeToElement(new { error = $"HTTP {(int)response.StatusCode}: {text}" }); }
        return new Response(response.StatusCode, json);
    }

    /// <summary>Runs <paramref name="work"/>, turning an unreachable server into one clear line and exit 1.</summary>
    public static async Task<int> RunAsync(string url, string? token, Func<ServerClient, Task<int>> work)
    {
        if (!TryValidateUrl(url, out var error))
        {
            Console.Error.WriteLine($"orchestrator: {error}");
            return ExitCodes.BadInput;
        }
        using var client = new ServerClient(url, token);
        try
        {
            return await work(client).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"orchestrator: cannot reach the server at {url}: {e.Message} (is 'orchestrator serve' running?)");
            return ExitCodes.Failure;
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine($"orchestrator: the server at {url} did not answer in time");
            return ExitCodes.Failure;
        }
    }

    public void Dispose() => _http.Dispose();
}
