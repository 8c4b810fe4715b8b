using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Adapters;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Server.Mcp;

/// <summary>
/// The server side of Claude Code's channel permission relay (<see cref="ChannelPermissionRequest"/>), on stdio. Each
/// relayed prompt becomes one call of the stdio client's agent and session with intent <see cref="CallIntent.Relay"/>:
/// judged like any call (policy, hooks, grants), an ask raises an approval in our queue, and nothing ever runs here —
/// the tool runs inside Claude Code. When the call ends the verdict goes back: allow when it was allowed, approved or
/// covered by a grant; deny when denied, refused, expired or failed. A prompt we cannot read (a cut preview, a bad
/// input) is answered nothing and logged, so Claude Code's own dialog decides it as without us. Over HTTP the server
/// cannot send a notification back (the current protocol revision has no sessions), so relayed prompts are ignored there.
/// </summary>
public sealed class McpChannelRelay(McpToolCalls calls, ActorRegistry registry, ServerOptions options, ILogger<McpChannelRelay> log)
{
    public const string ClientGone = "the MCP client that relayed this prompt is gone (orchestrator mcp restarted); its answer could not be delivered";

    /// <summary>Most prompts followed at once; more are left to Claude Code's own dialog.</summary>
    public const int MaxInFlight = 256;

    private static readonly TimeSpan WatchStep = TimeSpan.FromSeconds(30);

    /// <summary>The request ids of the prompts being followed (a set: a duplicate id while one waits is refused).</summary>
    private readonly ConcurrentDictionary<string, byte> inFlight = new();

    /// <summary>Takes one relayed prompt; the verdict is sent back later, on its own task.</summary>
    public void Accept(McpServer server, McpCaller caller, JsonRpcNotification notification, CancellationToken stopping)
    {
        var (request, problem) = ChannelPermissionRequest.Parse(notification.Params is { } p ? System.Text.Json.JsonSerializer.SerializeToElement(p) : null);
        if (request is null)
        {
            log.LogWarning("relayed permission request ignored: {Problem}", problem);
            return;
        }
        if (request.Input is null || request.Unreadable is not null)
        {
            log.LogWarning("relayed permission request {RequestId} ({Tool}) left to Claude Code's dialog: {Problem}", request.RequestId, request.ToolName, request.Unreadable);
            return;
        }
        if (inFlight.Count >= MaxInFlight || !inFlight.TryAdd(request.RequestId, 0))
        {
            log.LogWarning("relayed permission request {RequestId} ignored: {Why}", request.RequestId,
                inFlight.ContainsKey(request.RequestId) ? "the same request id is already pending" : $"{MaxInFlight} relayed prompts are already pending");
            return;
        }
        _ = Task.Run(() => RelayAsync(server, caller, request, stopping), CancellationToken.None);
    }

    private async Task RelayAsync(McpServer server, McpCaller caller, ChannelPermissionRequest request, CancellationToken ct)
    {
        try
        {
            if (McpTools.IsMcp(request.ToolName) && request.Input!.Value.EnumerateObject().Any(p => McpTools.IsReserved(p.Name)))
            {
                log.LogWarning("relayed permission request {RequestId} left to Claude Code's dialog: its input uses a key reserved for Orchestrator", request.RequestId);
                return;
            }
            var (state, problem) = await calls.SubmitAsync(caller, request.ToolName, calls.WorkspaceDirectory, request.Input!.Value, CallIntent.Relay, ct, "relay");
            if (state is null)
            {
                log.LogWarning("relayed permission request {RequestId} ({Tool}) left to Claude Code's dialog: {Problem}", request.RequestId, request.ToolName, problem);
                return;
            }
            CallState? end = null;
            while (end is null) end = await calls.EndOfAsync(state, WatchStep, ct);
            var allow = end.Outcome == CallOutcome.DecidedOnly;
            await server.SendNotificationAsync(ChannelPermissionRequest.VerdictMethod, ChannelPermissionRequest.Verdict(request.RequestId, allow), cancellationToken: ct);
            log.LogInformation("relayed permission request {RequestId} ({Tool}) answered {Behavior} (call {CallId})", request.RequestId, request.ToolName,
                allow ? "allow" : "deny", state.CallId);
        }
        catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
        {
            log.LogWarning("relayed permission request {RequestId}: no verdict sent ({Error})", request.RequestId, e.Message);
        }
        finally
        {
            inFlight.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>
    /// At the start of <c>orchestrator mcp</c>, relayed prompts still pending outside its own fresh session belong to a
    /// client that is gone (one process holds a data directory; the relay lives on its stdio): each is denied, recorded,
    /// so no operator answers a prompt whose answer cannot arrive. Returns how many were denied.
    /// </summary>
    public async Task<int> DenyOrphansAsync(SessionId current, CancellationToken ct)
    {
        var broker = await registry.GetAsync<ApprovalBroker>(ct);
        var sessions = await registry.GetAsync<SessionRouter>(ct);
        var denied = 0;
        var query = ApprovalListQuery.FirstPage with { Limit = ApprovalListQuery.MaxLimit };
        while (true)
        {
            if (await broker.Ask<object>(new ListApprovals(query), options.AskTimeout, ct) is not ApprovalPage page) return denied;
            denied += await DenyOrphansAsync(page.Approvals, current, sessions, broker, ct);
            if (page.NextAfter is null) return denied;
            query = query with { After = page.NextAfter };
        }
    }

    private async Task<int> DenyOrphansAsync(IReadOnlyList<ApprovalRequested> pending, SessionId current, IActorRef sessions, IActorRef broker, CancellationToken ct)
    {
        var denied = 0;
        foreach (var approval in pending.Where(a => a.Session != current))
        {
            if (await sessions.Ask<object>(new GetCall(approval.Session, approval.CallId), options.AskTimeout, ct) is not CallSnapshot { State.Intent: CallIntent.Relay })
                continue;
            var answer = new ApprovalAnswer(approval.ApprovalId, false, GrantScope.Once, ClientGone, "orchestrator");
            if (await broker.Ask<object>(new SubmitApprovalAnswer(answer), options.AskTimeout, ct) is ApprovalAnswerAccepted) denied++;
        }
        return denied;
    }
}
