using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Load;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>
/// The simulated agents' side over HTTP: each call is a <c>POST /v1/calls</c> that waits for its answer (<c>wait</c>);
/// a 429 is counted and the same call is sent again after its <c>Retry-After</c>. Agent i is <c>agent-i</c> in its own
/// session of this run; call ids carry the run's prefix so the journal check and the approver see only this run's calls.
/// </summary>
internal sealed class LoadTestHttp(HttpClient http, LoadTestSettings settings, IReadOnlyList<CallMix> workspaces, bool sendWorkspace,
    LoadTestApprover approver, string runId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Each answered call's outcome as its agent saw it, by call id (what the journal must hold).</summary>
    public ConcurrentDictionary<string, string> Answered { get; } = new(StringComparer.Ordinal);

    public string Prefix => PrefixOf(runId);

    /// <summary>The start of every session and call id of the run <paramref name="runId"/>.</summary>
    public static string PrefixOf(string runId) => $"lt-{runId}-";

    public static HttpClient Client(Uri server, string? credential, LoadTestSettings settings)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = settings.Agents + 16, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(settings.WaitSeconds + 60) };
        if (credential is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    public async Task<CallResult> SubmitAsync(int agent, long n, CancellationToken ct)
    {
        var id = $"{Prefix}a{agent}-c{n}";
        var mix = workspaces[agent % workspaces.Count];
        var (call, intent, _) = settings.Mix.Call(mix, agent, n, new AgentId($"agent-{agent}"), new SessionId($"{Prefix}s{agent}"), id);
        var body = new
        {
            id,
            agentId = call.Agent.Value,
            sessionId = call.Session.Value,
            tool = call.ToolName,
            input = call.Input,
            cwd = call.WorkingDirectory,
            workspace = sendWorkspace ? call.WorkingDirectory : null,
            intent = intent == CallIntent.Execute ? "execute" : "decide-only",
            wait = settings.WaitSeconds,
        };
        var throttled = 0;
        while (true)
        {
            HttpResponseMessage response;
            try { response = await http.PostAsJsonAsync("v1/calls", body, Json, ct).ConfigureAwait(false); }
            catch (HttpRequestException) { return CallResult.Failed("unreachable", throttled); }
            catch (TaskCanceledException) { return CallResult.Failed("timeout", throttled); }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    throttled++;
                    var retry = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(retry, ct).ConfigureAwait(false);
                    continue;
                }
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
                    return CallResult.Failed(response.StatusCode == HttpStatusCode.Accepted ? "unanswered-in-wait" : $"http-{(int)response.StatusCode}", throttled);
                JsonElement view;
                try { view = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false); }
                catch (JsonException) { return CallResult.Failed("bad-json", throttled); }
                catch (TaskCanceledException) { return CallResult.Failed("timeout", throttled); }
                var outcome = Text(view, "outcome") ?? "none";
                Answered[id] = outcome;
                return CallResult.Answered($"{Text(view, "decision") ?? "none"} → {outcome}", throttled, approver.RoundTripOf(id));
            }
        }
    }

    internal static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// The approver of a run (<see cref="ApproverSpec"/>): lists the run's pending approvals (<c>sessionPrefix</c>: every
/// session of the run starts with <paramref name="runPrefix"/>, so others' approvals pending on the server are not read)
/// and answers those whose session and call id both carry the prefix (a server that ignores the filter lists them all).
/// </summary>
/// <param name="pageSize">Approvals asked for per page of <c>GET /v1/approvals</c> (it follows every page).</param>
internal sealed class LoadTestApprover(HttpClient http, ApproverSpec spec, string runPrefix, int pageSize = Orchestrator.Core.Approval.ApprovalListQuery.MaxLimit)
{
    private readonly ConcurrentDictionary<string, long> _answeredAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private long _approved, _denied, _refused, _listErrors;

    public long Approved => Interlocked.Read(ref _approved);
    public long Denied => Interlocked.Read(ref _denied);
    public long Refused => Interlocked.Read(ref _refused);
    public long ListErrors => Interlocked.Read(ref _listErrors);
    public long Answered => Approved + Denied;

    /// <summary>The time from this approver's answer to the call's answer reaching its agent (null: no answer sent for it).</summary>
    public TimeSpan? RoundTripOf(string callId) =>
        _answeredAt.TryRemove(callId, out var at) ? Stopwatch.GetElapsedTime(at) : null;

    public async Task RunAsync(CancellationToken stop)
    {
        var pause = spec.Mode == ApproverSpec.Kind.OperatorBot ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(20);
        while (!stop.IsCancellationRequested)
        {
            foreach (var (approvalId, callId) in await PendingAsync(stop).ConfigureAwait(false))
            {
                if (stop.IsCancellationRequested) return;
                if (_done.Contains(approvalId)) continue;
                var approve = true;
                switch (spec.Mode)
                {
                    case ApproverSpec.Kind.Delay:
                        var seen = _firstSeen.TryGetValue(approvalId, out var s) ? s : _firstSeen[approvalId] = Stopwatch.GetTimestamp();
                        if (Stopwatch.GetElapsedTime(seen).TotalMilliseconds < spec.DelayMs) continue;
                        break;
                    case ApproverSpec.Kind.OperatorBot:
                        if (!await Wait(TimeSpan.FromMilliseconds(50 + Random.Shared.NextDouble() * 450), stop).ConfigureAwait(false)) return;
                        approve = Random.Shared.NextDouble() < spec.ApproveProbability;
                        break;
                }
                _done.Add(approvalId);
                _firstSeen.Remove(approvalId);
                await AnswerAsync(approvalId, callId, approve, stop).ConfigureAwait(false);
            }
            if (!await Wait(pause, stop).ConfigureAwait(false)) return;
        }
    }

    private async Task<List<(string ApprovalId, string CallId)>> PendingAsync(CancellationToken stop)
    {
        try
        {
            // Every page of the run's own, in listing order: they may be more than one page.
            var pending = new List<(string ApprovalId, string CallId)>();
            var query = $"v1/approvals?sessionPrefix={Uri.EscapeDataString(runPrefix)}&limit={pageSize}";
            string? cursor = null;
            do
            {
                using var response = await http.GetAsync(cursor is null ? query : $"{query}&cursor={Uri.EscapeDataString(cursor)}", stop).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref _listErrors); return pending; }
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(stop).ConfigureAwait(false);
                pending.AddRange(body.GetProperty("approvals").EnumerateArray()
                    .Where(a => Ours(LoadTestHttp.Text(a, "sessionId")) && Ours(LoadTestHttp.Text(a, "callId")))
                    .Select(a => (LoadTestHttp.Text(a, "approvalId") ?? "", LoadTestHttp.Text(a, "callId")!)));
                cursor = ServerPages.NextOf(body);
            }
            while (cursor is not null && !stop.IsCancellationRequested);
            return pending;
        }
        catch (OperationCanceledException) { return []; }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Interlocked.Increment(ref _listErrors);
            return [];
        }
    }

    private bool Ours(string? id) => id is not null && id.StartsWith(runPrefix, StringComparison.Ordinal);

    private async Task AnswerAsync(string approvalId, string callId, bool approve, CancellationToken stop)
    {
        _answeredAt[callId] = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsJsonAsync($"v1/approvals/{Uri.EscapeDataString(approvalId)}",
                new { decision = approve ? "approve" : "deny", scope = "once", reason = $"loadtest approver {spec}" }, stop).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && approve) Interlocked.Increment(ref _approved);
            else if (response.IsSuccessStatusCode) Interlocked.Increment(ref _denied);
            else
            {
                _answeredAt.TryRemove(callId, out _);
                Interlocked.Increment(ref _refused);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            _answeredAt.TryRemove(callId, out _);
            Interlocked.Increment(ref _refused);
        }
    }

    private static async Task<bool> Wait(TimeSpan time, CancellationToken stop)
    {
        try { await Task.Delay(time, stop).ConfigureAwait(false); return true; }
        catch (OperationCanceledException) { return false; }
    }
}
