using System.Net;
using System.Net.Http.Json;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Server.Tests;

/// <summary>
/// A stage that does not answer within the route's timeout (<see cref="ServerOptions.AskTimeout"/>) is a 503 a retry
/// can cure, so it carries <c>Retry-After</c> — on a read route and on a write route — and the retry the client is
/// told to make is answered once the stage is back. Made for real: the approval broker is killed, and what reaches it
/// while its supervisor waits to restart it is never answered.
/// </summary>
public sealed class GatewayTimeoutSpecs
{
    private static readonly TimeSpan RouteTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Sends until the answer is not 503, as a client told <c>Retry-After</c> does (bounded).</summary>
    private static async Task<HttpResponseMessage> RetriedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow + Patience;
        HttpResponseMessage response;
        do response = await send();
        while (response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);
        return response;
    }

    /// <summary>
    /// Kills the broker and sends at once: the request reaches the broker while it is down (its restart waits out a
    /// backoff), so it is not answered in time. A request that raced past the restart is answered; then kill again (bounded).
    /// </summary>
    private static async Task<HttpResponseMessage> WhileTheBrokerIsDownAsync(ServerHost host, Func<Task<HttpResponseMessage>> send)
    {
        var system = host.Services.GetRequiredService<ActorSystem>();
        for (var attempt = 0; ; attempt++)
        {
            var broker = await system.ActorSelection("/user/orchestrator/approvals/approvals").ResolveOne(Patience);
            broker.Tell(Kill.Instance);
            var response = await send();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable || attempt == 20) return response;
            await RetriedAsync(() => host.Client.GetAsync("/v1/approvals"));
        }
    }

    private static async Task AssertRetryLaterAsync(string route, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{route}: Retry-After '{response.Headers.RetryAfter}'");
        Assert.Contains("did not answer in time", (await ServerHost.JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_stage_that_does_not_answer_in_time_is_503_with_Retry_After_on_a_read_and_on_a_write_and_the_retry_is_answered()
    {
        await using var host = await ServerHost.StartAsync(o => o with
        {
            Approver = null,
            AskTimeout = RouteTimeout,
            Policy = o.Policy with { AskRules = ["Bash(git push)"] },
        });
        // The session's first call may itself outlast the short timeout: retried as told (the same id is recorded once).
        var asked = await RetriedAsync(() => host.Client.PostAsJsonAsync("/v1/calls", host.Bash("git push", id: "ask-1", intent: "execute")));
        Assert.True(asked.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{(int)asked.StatusCode} {await asked.Content.ReadAsStringAsync()}");
        var approvalId = (await ServerHost.JsonOf(asked)).GetProperty("pendingApproval").GetProperty("approvalId").GetString()!;

        var listed = await WhileTheBrokerIsDownAsync(host, () => host.Client.GetAsync("/v1/approvals"));
        await AssertRetryLaterAsync("GET /v1/approvals", listed);
        var answered = await WhileTheBrokerIsDownAsync(host, () => host.Client.PostAsJsonAsync($"/v1/approvals/{approvalId}", new { decision = "deny" }));
        await AssertRetryLaterAsync("POST /v1/approvals/{id}", answered);

        // Retried as told, once the broker is back: the pending approval is listed, and the answer is recorded.
        var relisted = await RetriedAsync(() => host.Client.GetAsync("/v1/approvals"));
        Assert.Equal(HttpStatusCode.OK, relisted.StatusCode);
        Assert.Contains((await ServerHost.JsonOf(relisted)).GetProperty("approvals").EnumerateArray(), a => a.GetProperty("approvalId").GetString() == approvalId);
        var reanswered = await RetriedAsync(() => host.Client.PostAsJsonAsync($"/v1/approvals/{approvalId}", new { decision = "deny" }));
        Assert.True(reanswered.StatusCode == HttpStatusCode.OK, $"{(int)reanswered.StatusCode} {await reanswered.Content.ReadAsStringAsync()}");
        Assert.Equal("approval-denied", (await ServerHost.JsonOf(reanswered)).GetProperty("call").GetProperty("outcome").GetString());
    }
}
