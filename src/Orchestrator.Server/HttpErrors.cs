namespace Orchestrator.Server;

/// <summary>Every error the API returns: a status and <c>{"error": "…"}</c>.</summary>
internal static class HttpErrors
{
    /// <summary>The longest error message sent whole: messages quote the refused value, and a megabyte sent must not come back.</summary>
    public const int MaxMessage = 2_000;

    public static IResult Error(int status, string message) =>
        Results.Json(new ErrorBody(Bounded(message)), OrchestratorServer.Json, statusCode: status);

    private static string Bounded(string message)
    {
        if (message.Length <= MaxMessage) return message;
        var cut = char.IsHighSurrogate(message[MaxMessage - 1]) ? MaxMessage - 1 : MaxMessage;
        return $"{message[..cut]}… (cut: the message was {message.Length:N0} characters)";
    }

    public static IResult NotReady(string what) => Unavailable($"{what} is not ready yet");

    /// <summary>
    /// A 503 a client may retry: it carries <c>Retry-After</c> (seconds), so a client polling through a restart or an
    /// overloaded stage knows when to come back instead of guessing. A 503 that retrying cannot cure (a journal that
    /// failed verification, an unreadable token file) uses <see cref="Error"/> instead.
    /// </summary>
    public static IResult Unavailable(string message, int retryAfterSeconds = 1) =>
        new RetryLater(Error(StatusCodes.Status503ServiceUnavailable, message), Math.Max(1, retryAfterSeconds));

    /// <summary>A 429 with <c>Retry-After</c> (seconds): the server is busy with this kind of request; come back later.</summary>
    public static IResult TooMany(string message, int retryAfterSeconds) =>
        new RetryLater(Error(StatusCodes.Status429TooManyRequests, message), Math.Max(1, retryAfterSeconds));

    private sealed class RetryLater(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(http);
        }
    }

    /// <summary>A 400 naming the rule when an id taken from a route does not follow <see cref="Orchestrator.Core.Calls.IdSyntax"/>; else null.</summary>
    public static IResult? InvalidId(string field, string id) =>
        Orchestrator.Core.Calls.IdSyntax.Problem(field, id) is { } problem ? Error(StatusCodes.Status400BadRequest, problem) : null;

    public static IResult Unexpected(object answer) =>
        Error(StatusCodes.Status500InternalServerError, $"unexpected answer {answer.GetType().Name}");

    /// <summary>Reads a JSON body, mapping every way it can be bad to 400 or 413.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        T? body;
        try
        {
            body = await System.Text.Json.JsonSerializer.DeserializeAsync<T>(http.Request.Body, OrchestratorServer.Json, http.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            return (null, Error(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "request body too large" : $"bad request: {e.Message}"));
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"malformed JSON: {e.Message}"));
        }
        return body is null ? (null, Error(StatusCodes.Status400BadRequest, "the body must be a JSON object")) : (body, null);
    }
}
