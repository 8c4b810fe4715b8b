using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Orchestrator.Core.Approval;

namespace Orchestrator.Server.Tests;

/// <summary>The webhook channel against receivers started by the test: a good one (signature verified), a dead one, one that hangs.</summary>
public sealed class ApprovalWebhookSpecs
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("webhook-secret-for-specs");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A loopback HTTP receiver: records each POST (body, signature header) and answers as told.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private readonly CancellationTokenSource _stop = new();

        public Receiver(Func<int, HttpStatusCode?> answer)
        {
            var port = FreePort();
            Url = new Uri($"http://127.0.0.1:{port}/hook/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                var n = 0;
                while (!_stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) when (_stop.IsCancellationRequested) { return; }
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    Received.Writer.TryWrite((body.ToArray(), context.Request.Headers[WebhookSignature.Header]));
                    var status = answer(++n);
                    if (status is null) continue; // hang: never answer
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                }
            });
        }

        public Uri Url { get; }

        public Channel<(byte[] Body, string? Signature)> Received { get; } = Channel.CreateUnbounded<(byte[], string?)>();

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Abort();
            try { await _loop; } catch (ObjectDisposedException) { } catch (HttpListenerException) { }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    // Long enough for a receiver on a loaded machine to answer in time, and it makes calls that waited on a hanging
    // receiver very slow (20 approvals × 3 attempts × 5 s = 300 s), far beyond what calls that do not wait take.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private static Task<ServerHost> StartAsync(params Uri[] urls) => ServerHost.StartAsync(o => o with
    {
        Approver = null,
        Policy = o.Policy with { AskRules = ["Bash(git push:*)"] },
        ApprovalWebhooks = new ApprovalWebhookOptions(urls, Secret)
        {
            AttemptTimeout = AttemptTimeout, MaxRetries = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        },
    });

    private static async Task<string> SubmitAskAsync(ServerHost host, string command, string id)
    {
        var response = await host.Client.PostAsJsonAsync("/v1/calls", host.Bash(command, id: id, intent: "execute"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ServerHost.JsonOf(response)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;
    }

    [Fact]
    public async Task Each_new_approval_is_posted_signed_with_its_call_reason_agent_session_deadline_and_answer_url()
    {
        await using var receiver = new Receiver(_ => HttpStatusCode.NoContent);
        await using var host = await StartAsync(receiver.Url);

        var approvalId = await SubmitAskAsync(host, "git push origin main", "hooked-1");

        using var wait = new CancellationTokenSource(Patience);
        var (body, signature) = await receiver.Received.Reader.ReadAsync(wait.Token);
        Assert.True(WebhookSignature.Verify(Secret, body, signature), $"signature {signature} does not verify");
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("another secret"), body, signature));
        using var notice = JsonDocument.Parse(body);
        var root = notice.RootElement;
        Assert.Equal("approval.requested", root.GetProperty("type").GetString());
        Assert.Equal(approvalId, root.GetProperty("approvalId").GetString());
        Assert.Equal("hooked-1", root.GetProperty("callId").GetString());
        Assert.Equal("Bash: git push origin main", root.GetProperty("summary").GetString());
        Assert.Equal("agent-1", root.GetProperty("agentId").GetString());
        Assert.Equal("s1", root.GetProperty("sessionId").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("reason").GetString()));
        Assert.True(root.GetProperty("deadline").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(new Uri(host.Address, $"v1/approvals/{approvalId}").ToString(), root.GetProperty("answerUrl").GetString());
        var webhooks = (ApprovalWebhooks)host.Services.GetService(typeof(ApprovalWebhooks))!;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (webhooks.Delivered == 0 && !wait.IsCancellationRequested) await poll.WaitForNextTickAsync();
        Assert.Equal((1, 0, 0), (webhooks.Delivered, webhooks.Failed, webhooks.Dropped));
    }

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_approval_on_the_third_attempt()
    {
        await using var receiver = new Receiver(n => n <= 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        await using var host = await StartAsync(receiver.Url);

        var approvalId = await SubmitAskAsync(host, "git push origin retry", "hooked-retry");

        using var wait = new CancellationTokenSource(Patience);
        for (var i = 0; i < 3; i++)
        {
            var (body, _) = await receiver.Received.Reader.ReadAsync(wait.Token);
            Assert.Equal(approvalId, JsonDocument.Parse(body).RootElement.GetProperty("approvalId").GetString());
        }
        var webhooks = (ApprovalWebhooks)host.Services.GetService(typeof(ApprovalWebhooks))!;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (webhooks.Delivered == 0 && !wait.IsCancellationRequested) await poll.WaitForNextTickAsync();
        Assert.Equal((1, 0), (webhooks.Delivered, webhooks.Failed));
    }

    [Fact]
    public async Task A_receiver_that_hangs_and_one_that_is_dead_never_slow_calls_and_their_failures_are_counted()
    {
        await using var hanging = new Receiver(_ => null);
        var dead = new Uri($"http://127.0.0.1:{FreePort()}/nobody/");
        await using var host = await StartAsync(hanging.Url, dead);

        var started = DateTime.UtcNow;
        for (var i = 0; i < 20; i++) await SubmitAskAsync(host, $"git push origin b{i}", $"hang-{i}");
        var checks = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => host.Client.PostAsJsonAsync("/v1/calls", host.Bash("ls", id: $"fast-{i}"))));
        var took = DateTime.UtcNow - started;

        Assert.All(checks, c => Assert.Equal(HttpStatusCode.Created, c.StatusCode));
        // 20 approvals to a receiver that never answers would take 300 s if calls waited on it.
        Assert.True(took < Patience, $"40 calls took {took}");
        var webhooks = (ApprovalWebhooks)host.Services.GetService(typeof(ApprovalWebhooks))!;
        using var wait = new CancellationTokenSource(Patience);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (webhooks.Failed < 21 && !wait.IsCancellationRequested) await poll.WaitForNextTickAsync();
        Assert.True(webhooks.Failed >= 21, $"failed {webhooks.Failed}: the dead URL's 20 and at least the hanging one's first");
        Assert.Equal(0, webhooks.Delivered);
    }
}
