using System.Net;
using System.Text.Json;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator run</c> when a server holds the data directory (or <c>--server</c> names one): the call is submitted
/// there (<c>POST /v1/calls</c>, intent execute, waiting), an approval it raises is answered like
/// <c>approvals approve</c> when <c>--yes</c> or the terminal says so (else denied, so nothing stays pending), and the
/// call is watched to its end by resubmitting its id with a wait (a resubmission never runs it twice).
/// </summary>
internal static class RunForwarding
{
    private const double WaitSeconds = 50;
    private const double DecisionPollSeconds = 0.2;

    private sealed record SubmittedInput(string Command, long Timeout);

    private sealed record Submission(string Id, string AgentId, string SessionId, string Tool, SubmittedInput Input, string Cwd, string Intent, double Wait);

    private static async Task AnswerAsync(ServerClient client, JsonElement pending, RunRequest run, CancellationToken ct)
    {
        var approve = run.Yes || RunCommand.AskOnTerminal(pending.GetProperty("reasonClass").GetString() ?? "", pending.GetProperty("reason").GetString() ?? "");
        var answer = await client.SendAsync(HttpMethod.Post, $"v1/approvals/{Uri.EscapeDataString(pending.GetProperty("approvalId").GetString()!)}", new
        {
            decision = approve ? "approve" : "deny",
            reason = approve ? (run.Yes ? "approved with --yes" : "approved at the terminal") : "not approved (pass --yes, or answer y at a terminal)",
        }, ct);
        if (!answer.IsSuccess && answer.Status != HttpStatusCode.Conflict)
            Console.Error.WriteLine($"orchestrator: could not answer the approval: {answer.ErrorText}");
    }

    public static Task<int> RunAsync(string server, string? credential, RunRequest run, string cwd, CancellationToken ct) =>
        ServerClient.RunAsync(server, credential, async client =>
        {
            var call = run.Call(cwd);
            var body = new Submission(call.Id.Value, call.Agent.Value, call.Session.Value, call.ToolName,
                new SubmittedInput(run.CommandText, run.TimeoutMilliseconds), cwd, "execute", WaitSeconds);
            var response = await client.SendAsync(HttpMethod.Post, "v1/calls", body, ct);
            if (!response.IsSuccess) return RunCommand.Fail($"the server at {server} refused the call: {response.ErrorText}", RunCommand.Refused);
            Console.Error.WriteLine($"orchestrator: call {call.Id} on {server} (orchestrator history {call.Id})");
            var answered = false;
            while (true)
            {
                var status = response.Body.TryGetProperty("status", out var s) ? s.GetString() : null;
                if (status is "completed" or "interrupted") break;
                if (!answered && response.Body.TryGetProperty("pendingApproval", out var pending) && pending.ValueKind == JsonValueKind.Object)
                {
                    answered = true;
                    await AnswerAsync(client, pending, run, ct);
                }
                // Until the call is decided (its hooks may still run) an approval may yet be asked for: look again soon.
                var undecided = status is "new" or "received";
                response = await client.SendAsync(HttpMethod.Post, "v1/calls", undecided ? body with { Wait = DecisionPollSeconds } : body, ct);
                if (!response.IsSuccess) return RunCommand.Fail($"lost the call on {server}: {response.ErrorText}", RunCommand.Refused);
            }
            if (run.Explain) Console.Error.WriteLine($"  verdict: {response.Body.GetProperty("decision")} ({response.Body.GetProperty("reasonClass")}) — {response.Body.GetProperty("reason")}");
            return await RunReport.From(response.Body).PrintAsync(run.TimeoutSeconds);
        });
}
