using System.Text.Json;
using Orchestrator.Actors.Approvals;
using Orchestrator.Core.Approval;

namespace Orchestrator.Server.WebConsole;

/// <summary>
/// <c>GET /v1/approvals/stream</c>: server-sent events for the console. An <c>approvals</c> event carries the first
/// <see cref="ApprovalListQuery.MaxLimit"/> pending approvals and the <c>total</c> (as <c>GET /v1/approvals?limit=1000</c>)
/// at once and again whenever they change; the broker is asked every <see cref="PollInterval"/>, so a new approval
/// shows within a second. A comment line keeps idle proxies open.
/// </summary>
internal static class ApprovalStream
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly ListApprovals FirstPage = new(ApprovalListQuery.FirstPage with { Limit = ApprovalListQuery.MaxLimit });

    public static void Map(WebApplication app) => app.MapGet("/v1/approvals/stream", StreamAsync);

    private static async Task StreamAsync(HttpContext http, PipelineGateway pipeline, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        string? last = null;
        var quietSince = clock.GetUtcNow();
        try
        {
            await http.Response.WriteAsync(": approvals\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var (answer, error) = await pipeline.AskAsync<ApprovalBroker>(FirstPage, ct);
                string? frame = null;
                if (answer is ApprovalPage page)
                {
                    var json = JsonSerializer.Serialize(ApprovalView.PageOf(page), OrchestratorServer.Json);
                    if (json != last) (frame, last) = ($"event: approvals\ndata: {json}\n\n", json);
                }
                else if (error is not null && last is not null)
                    (frame, last) = ("event: unavailable\ndata: {}\n\n", null);
                if (frame is null && clock.GetUtcNow() - quietSince > KeepAlive) frame = ": keep-alive\n\n";
                if (frame is not null)
                {
                    await http.Response.WriteAsync(frame, ct);
                    await http.Response.Body.FlushAsync(ct);
                    quietSince = clock.GetUtcNow();
                }
                await Task.Delay(PollInterval, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
