using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Orchestrator.Actors.Approvals;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orchestrator.Server;

/// <summary>
/// How the webhook channel delivers (<c>serve --approval-webhook URL</c>, repeatable).
/// </summary>
/// <param name="Urls">Each receives every new approval.</param>
/// <param name="Secret">The HMAC-SHA256 key of the <c>X-Orchestrator-Signature</c> header.</param>
public sealed record ApprovalWebhookOptions(IReadOnlyList<Uri> Urls, byte[] Secret)
{
    /// <summary>Approvals waiting for delivery per URL; beyond it new ones are dropped for that URL (counted, logged).</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>How long one POST may take before it counts as failed (and is retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, each after an exponentially growing, jittered delay from <see cref="FirstRetryDelay"/>.</summary>
    public int MaxRetries { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// The webhook channel: each new approval the broker announces is queued (a bounded queue per URL, never waited on:
/// <see cref="Notify"/> returns at once, so a dead or slow receiver never blocks or slows a call) and POSTed as an
/// <see cref="ApprovalNotice"/> with its <see cref="WebhookSignature"/> header, retried with Polly (per-attempt
/// timeout, exponential backoff, bounded); one URL's trouble never delays another's. Deliveries, failures (after the
/// last retry) and drops (queue full) are counted and failures logged. At most once per server life: an approval
/// pending across a restart is not sent again (it is in the listing).
/// </summary>
public sealed class ApprovalWebhooks : IApprovalNotifier, IAsyncDisposable
{
    private readonly ApprovalWebhookOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _delivery;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Uri Url, Channel<ApprovalRequested> Queue, Task Pump)> _targets = [];
    private long _delivered, _failed, _dropped;

    public ApprovalWebhooks(ApprovalWebhookOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _delivery = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
        foreach (var url in options.Urls)
        {
            var queue = Channel.CreateBounded<ApprovalRequested>(new BoundedChannelOptions(options.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = false,
            });
            _targets.Add((url, queue, Task.Run(() => PumpAsync(url, queue.Reader))));
        }
    }

    /// <summary>The server's address, for each notice's answer URL (set once it listens).</summary>
    public Uri? ServerAddress { get; set; }

    public ILogger? Log { get; set; }

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries given up after the last retry.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Approvals not queued for a URL because its queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Notify(ApprovalRequested request)
    {
        foreach (var (url, queue, _) in _targets)
            if (!queue.Writer.TryWrite(request))
            {
                Interlocked.Increment(ref _dropped);
                Log?.LogWarning("approval webhook {Url}: queue full ({Capacity}); approval {Approval} not sent there", url, _options.QueueCapacity, request.ApprovalId);
            }
    }

    private async Task PumpAsync(Uri url, ChannelReader<ApprovalRequested> queue)
    {
        try
        {
            await foreach (var request in queue.ReadAllAsync(_stop.Token))
                await DeliverAsync(url, request);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Uri url, ApprovalRequested request)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(ApprovalNotice.From(request, ServerAddress), OrchestratorServer.Json);
        var signature = WebhookSignature.Sign(_options.Secret, body);
        try
        {
            await _delivery.ExecuteAsync(async ct =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                message.Headers.Add(WebhookSignature.Header, signature);
                using var response = await _http.SendAsync(message, ct);
                response.EnsureSuccessStatusCode();
            }, _stop.Token);
            Interlocked.Increment(ref _delivered);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            Interlocked.Increment(ref _failed);
            Log?.LogWarning("approval webhook {Url}: approval {Approval} not delivered after {Attempts} attempts: {Error}",
                url, request.ApprovalId, _options.MaxRetries + 1, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, queue, _) in _targets) queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await Task.WhenAll(_targets.Select(t => t.Pump));
        _http.Dispose();
        _stop.Dispose();
    }
}
