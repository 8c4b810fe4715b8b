using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Storage;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>The verdict on a hook's call, or why none could be had (the adapter then fails closed).</summary>
internal sealed record HookVerdict(Decision Decision, string Reason, string? Problem = null)
{
    public static HookVerdict Cannot(string problem) => new(Decision.Deny, problem, problem);

    public static HookVerdict From(CheckView view) => new(DecisionOf(view.Decision),
        $"Orchestrator: {view.Decision} — {view.Reason}" + (view.Rule is { } rule ? $" [{rule}]" : "") + (view.CallId is { } id ? $" (call {id})" : ""));

    private static Decision DecisionOf(string name) => name switch
    {
        "allow" => Decision.Allow,
        "ask" => Decision.Ask,
        _ => Decision.Deny,
    };
}

/// <summary>
/// Decides a hook's call as a recorded decide-only call: through <c>POST /v1/check</c> on a running server, or through
/// a pipeline hosted in this process on the data directory (<see cref="LocalPipeline"/>), waiting for another
/// in-process holder of the directory to let go within <see cref="Patience"/> (Claude Code's hook timeout is 60 s).
/// </summary>
internal static class ClaudeCodeHookDecider
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan HolderPoll = TimeSpan.FromMilliseconds(50);

    public static async Task<HookVerdict> ViaServerAsync(string server, string? token, ToolCall call, JsonElement toolInput, CancellationToken ct)
    {
        if (!ServerClient.TryValidateUrl(server, out var bad)) return HookVerdict.Cannot(bad!);
        using var http = new ServerClient(server, token);
        try
        {
            var response = await http.SendAsync(HttpMethod.Post, "v1/check", new
            {
                id = call.Id.Value,
                agentId = call.Agent.Value,
                sessionId = call.Session.Value,
                tool = call.ToolName,
                input = toolInput,
                cwd = call.WorkingDirectory,
                wait = (int)Patience.TotalSeconds,
            }, ct);
            if (!response.IsSuccess) return HookVerdict.Cannot($"the server at {server} refused the check: {response.ErrorText}");
            if (response.Body.ValueKind != JsonValueKind.Object || !response.Body.TryGetProperty("decision", out _))
                return HookVerdict.Cannot($"the server at {server} had not decided the call in time");
            return HookVerdict.From(response.Body.Deserialize<CheckView>(OrchestratorServer.Json)!);
        }
        catch (HttpRequestException e)
        {
            return HookVerdict.Cannot($"cannot reach the server at {server}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return HookVerdict.Cannot($"the server at {server} did not answer in time");
        }
    }

    public static async Task<HookVerdict> EmbeddedAsync(PolicyLoadOptions policy, string data, ToolCall call, JsonElement toolInput, string? token, CancellationToken ct)
    {
        if (DataOption.Refusal(data, policy.ProjectDirectory) is { } refusal) return HookVerdict.Cannot(refusal);
        var until = DateTimeOffset.UtcNow + Patience;
        LocalPipeline pipeline;
        while (true)
        {
            try
            {
                pipeline = await LocalPipeline.StartAsync(data, policy, PipelineOptions.Default with { PassivateAfter = null }, ct);
                break;
            }
            catch (StartupRefusedException) when (DataDirectoryLock.Probe(data) is { Held: true, Server: null } && DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(HolderPoll, ct);
            }
            catch (StartupRefusedException e)
            {
                return DataDirectoryLock.Probe(data) is { Held: true, Server: { } announced }
                    ? await ViaServerAsync(announced.Url, token, call, toolInput, ct)
                    : HookVerdict.Cannot($"cannot decide here: {e.Message}");
            }
        }
        await using (pipeline)
        {
            var answer = await pipeline.Sessions.Ask<object>(new SubmitCall(call, CallIntent.DecideOnly), Patience, ct);
            var state = answer switch
            {
                CallAccepted a => a.State,
                CallAlreadyExists e => e.State,
                _ => null,
            };
            if (state is null) return HookVerdict.Cannot($"the call was not accepted: {answer.GetType().Name}");
            if (!state.IsTerminal && await pipeline.Sessions.Ask<object>(new WatchCall(call.Session, call.Id), Patience, ct) is CallSnapshot done)
                state = done.State;
            return CheckView.FromRecorded(state) is { } view ? HookVerdict.From(view) : HookVerdict.Cannot("the call was not decided in time");
        }
    }
}
