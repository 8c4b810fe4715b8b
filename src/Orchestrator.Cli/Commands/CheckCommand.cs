using System.CommandLine;
using System.Text.Json;
using Orchestrator.Actors.Checking;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;
using Orchestrator.Server;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator check</c> and <c>orchestrator policy explain</c>: judge one call as a decide-only call and say why.
/// <c>check</c> asks the server that holds the data directory (or <c>--server</c>) — <c>POST /v1/check</c>, recorded
/// in its history unless <c>--no-record</c> (operators) — and without one (or with <c>--offline</c>) judges it here
/// with the same steps and nothing recorded (<see cref="UnrecordedDecision"/>: policy, hooks, the policy again on a
/// rewritten input). <c>policy explain</c> always judges here and prints every finding.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(string name, string description, bool explain)
    {
        var command = new Command(name, description);
        var policy = new PolicyOptions();
        var call = new CallOptions();
        var client = new ClientOptions();
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON" };
        var offline = new Option<bool>("--offline") { Description = "Judge here with the local policy, not on the server that holds --data (nothing recorded)" };
        var noRecord = new Option<bool>("--no-record") { Description = "Ask the server not to record the check (operators and admins only)" };
        policy.AddTo(command);
        call.AddTo(command);
        command.Options.Add(json);
        if (!explain)
        {
            client.AddTo(command);
            command.Options.Add(offline);
            command.Options.Add(noRecord);
        }
        command.SetAction((result, ct) => RunAsync(result, policy, call, explain ? null : client, result.GetValue(json), explain,
            explain || result.GetValue(offline), explain ? false : result.GetValue(noRecord), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, PolicyOptions policyOptions, CallOptions callOptions, ClientOptions? client,
        bool json, bool explain, bool offline, bool noRecord, CancellationToken ct)
    {
        var (call, error) = callOptions.Build(result, Console.OpenStandardInput());
        if (call is null) return Fail(error!);
        var server = offline || client is null ? null : client.ServerFor(result);
        if (server is null)
        {
            if (noRecord) return Fail("--no-record asks a server; an offline check records nothing anyway");
            return await OfflineAsync(result, policyOptions, client, call, json, explain, ct);
        }
        if (LocalOnlyOptions(result, policyOptions, callOptions) is { } local)
            return Fail($"{local} applies to an offline check; the server at {server} judges with its own policy (pass --offline to judge here)");
        return await ServerClient.RunAsync(server, client!.Credential(result), async http =>
        {
            var response = await http.SendAsync(HttpMethod.Post, "v1/check", new
            {
                tool = call.ToolName,
                input = call.Input,
                cwd = call.WorkingDirectory,
                record = noRecord ? false : (bool?)null,
                wait = 55,
            }, ct);
            if (!response.IsSuccess || response.Body.ValueKind != JsonValueKind.Object || !response.Body.TryGetProperty("decision", out _))
                return Fail(response.IsSuccess ? $"the server is still deciding the call: {response.Body.GetRawText()}" : response.ErrorText, ExitCodes.Failure);
            var view = response.Body.Deserialize<CheckView>(OrchestratorServer.Json)!;
            if (view.CallId is { } id) Console.Error.WriteLine($"orchestrator: recorded as call {id} (orchestrator history {id})");
            return Print(call, view, json, explain);
        });
    }

    /// <summary>The first option given that only an offline check can honour (the server has its own policy).</summary>
    private static string? LocalOnlyOptions(ParseResult result, PolicyOptions policy, CallOptions call) =>
        policy.Given(result) ?? (result.GetResult(call.RequestMode) is { Implicit: false } ? "--request-mode"
            : result.GetValue(call.Escalate) ? "--escalate" : null);

    private static async Task<int> OfflineAsync(ParseResult result, PolicyOptions policyOptions, ClientOptions? client, ToolCall call,
        bool json, bool explain, CancellationToken ct)
    {
        var options = policyOptions.Build(result);
        if (client is not null) options = OrchestratorServer.HidingDataDirectory(options, result.GetValue(client.Data)!);
        var policy = new PolicyCatalog(options).Default;
        foreach (var e in policy.Snapshot.Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");
        var decided = await UnrecordedDecision.DecideAsync(call, policy, findGrant: null, ct);
        return Print(decided.Call, CheckView.FromUnrecorded(decided), json, explain);
    }

    private static int Print(ToolCall call, CheckView view, bool json, bool explain)
    {
        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            VerdictPrinter.PrintJson(stdout, call, view);
        }
        else
            VerdictPrinter.PrintText(Console.Out, call, view, allFindings: explain);

        if (view.ReasonClass == ReasonClass.InvalidInput.Name())
        {
            if (!json) Console.Error.WriteLine($"orchestrator: invalid input: {view.Reason}");
            return ExitCodes.BadInput;
        }
        return view.Decision switch
        {
            "allow" => ExitCodes.Allow,
            "ask" => ExitCodes.Ask,
            _ => ExitCodes.Deny,
        };
    }

    private static int Fail(string message, int code = ExitCodes.BadInput)
    {
        Console.Error.WriteLine($"orchestrator: {message}");
        return code;
    }
}
