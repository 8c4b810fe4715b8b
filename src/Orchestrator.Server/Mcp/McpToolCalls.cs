using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Actors.Approvals;
using Orchestrator.Actors.History;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Server.Mcp.Gateway;

namespace Orchestrator.Server.Mcp;

/// <summary>
/// One MCP <c>tools/call</c> as one call through the pipeline: its arguments read as the tool's input (the same
/// validation as <c>POST /v1/calls</c>), placed in its workspace, submitted through the fair <see cref="Ingress"/>
/// with intent execute, then followed until it ends within <see cref="ServerOptions.McpWait"/>. A call awaiting
/// approval is put to the client's user by elicitation when the client supports it and the caller may be asked
/// (<see cref="McpCaller.MayBeAsked"/>), while an operator may answer it meanwhile; out of time, the answer says
/// "pending approval ID" and how to wait for it (<see cref="McpGatedTools.StatusTool"/>). A gateway tool
/// (<c>mcp__NAME__TOOL</c>, <see cref="McpGateway"/>) is submitted under its own name with its arguments as they are,
/// plus its definition digest (and the digest it changed from), in the served workspace.
/// </summary>
public sealed class McpToolCalls(Ingress ingress, ActorRegistry registry, ActorSystem system, ServedWorkspaces served, ServerOptions options, McpGateway gateway)
{
    private static readonly TimeSpan DecisionPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Where an MCP call that names no <c>cwd</c> runs: the first served root, else the default workspace.</summary>
    internal string WorkspaceDirectory => served.Roots?.Roots[0] ?? served.Policies.DefaultWorkspace;

    public async ValueTask<CallToolResult> CallAsync(McpCaller caller, string name, IDictionary<string, JsonElement>? arguments, McpServer? server, CancellationToken ct)
    {
        var args = arguments ?? new Dictionary<string, JsonElement>();
        if (name == McpGatedTools.StatusTool) return await StatusAsync(caller, args, server, ct);
        var workspaceDirectory = WorkspaceDirectory;
        string tool, cwd;
        Dictionary<string, JsonElement> input;
        if (McpGatedTools.Find(name) is { } gated)
        {
            var given = args.TryGetValue("cwd", out var c) ? c.ValueKind == JsonValueKind.String ? c.GetString() : null : workspaceDirectory;
            if (given is null) return Failure("cwd must be a string (an absolute path)");
            (tool, cwd, input) = (gated.Tool, given, args.Where(a => a.Key != "cwd").ToDictionary(a => a.Key, a => a.Value));
        }
        else if (McpTools.IsMcp(name) && !gateway.IsEmpty)
        {
            if (args.Keys.FirstOrDefault(McpTools.IsReserved) is { } reserved) return Failure($"argument '{reserved}' is reserved for Orchestrator");
            McpGateway.Listed? listed;
            try { listed = await gateway.FindAsync(name, ct); }
            catch (McpUpstreamException e) { return Failure(e.Message); }
            if (listed is null) return Failure($"unknown tool '{name}'; tools/list names the tools");
            input = new Dictionary<string, JsonElement>(args) { [McpTools.DefinitionKey] = JsonSerializer.SerializeToElement(listed.Digest) };
            if (gateway.ChangedFrom(listed) is { } before) input[McpTools.ChangedFromKey] = JsonSerializer.SerializeToElement(before);
            (tool, cwd) = (name, workspaceDirectory);
        }
        else return Failure($"unknown tool '{name}'; tools/list names the tools");
        var (state, problem) = await SubmitAsync(caller, tool, cwd, JsonSerializer.SerializeToElement(input), CallIntent.Execute, ct);
        return state is null ? Failure(problem!) : await FollowAsync(caller, state, server, ct);
    }

    /// <summary>
    /// Submits one call of <paramref name="caller"/>'s through the fair ingress, validated as <c>POST /v1/calls</c>
    /// validates and placed in its workspace: its state once accepted (or the existing call), else the problem.
    /// </summary>
    internal async Task<(CallState? State, string? Problem)> SubmitAsync(McpCaller caller, string tool, string cwd, JsonElement input, CallIntent intent,
        CancellationToken ct, string idPrefix = "mcp")
    {
        var request = new CallRequest
        {
            Id = $"{idPrefix}-{Guid.NewGuid():n}", AgentId = caller.Agent.Value, SessionId = caller.Session.Value, Tool = tool, Cwd = cwd,
            Input = input,
        };
        var (valid, problem) = CallRequestReader.Validate(request, requireIds: true);
        if (problem is not null) return (null, problem);
        var (workspace, _, refusal) = served.Resolve(null, cwd);
        if (refusal is not null) return (null, refusal);
        var call = valid!.Call with { Workspace = workspace, SubmittedBy = caller.Principal.SubmitterName };

        if (!ingress.TrySubmit(new SubmitCall(call, intent), out var reply, out var retryAfter))
            return (null, $"too many calls queued for agent {call.Agent}; retry in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s");
        object answer;
        try { answer = await reply.WaitAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (null, $"the call pipeline did not answer: {e.Message}");
        }
        return answer switch
        {
            CallAccepted a => (a.State, null),
            CallAlreadyExists e => (e.State, null),
            SessionOwnedByAnotherAgent owned => (null, $"session {owned.Session} belongs to another agent"),
            CallNotAccepted n => (null, $"call {n.CallId} not accepted: {n.Reason}"),
            _ => (null, $"the call was not accepted ({answer.GetType().Name})"),
        };
    }

    /// <summary>The call once it ended (null: still open after <paramref name="limit"/>, or the session did not answer).</summary>
    internal async Task<CallState?> EndOfAsync(CallState state, TimeSpan limit, CancellationToken ct)
    {
        var call = state.Call!;
        return state.IsTerminal ? state
            : await AskAsync<SessionRouter>(new WatchCall(call.Session, call.Id), limit, ct) is CallSnapshot { State.IsTerminal: true } ended ? ended.State : null;
    }

    private async ValueTask<CallToolResult> StatusAsync(McpCaller caller, IDictionary<string, JsonElement> args, McpServer? server, CancellationToken ct)
    {
        if (!args.TryGetValue("call_id", out var id) || id.ValueKind != JsonValueKind.String || !IdSyntax.IsValid(id.GetString()))
            return Failure($"call_id must be a call id ({IdSyntax.Rule})");
        var callId = new CallId(id.GetString()!);
        var located = await AskAsync<CallIndex>(new LocateCall(callId), options.AskTimeout, ct);
        if (located is not CallLocated where) return Failure($"no call {callId}");
        if (await AskAsync<SessionRouter>(new GetCall(where.Session, callId), options.AskTimeout, ct) is not CallSnapshot snapshot
            || snapshot.State.Call?.Agent != caller.Agent)
            return Failure($"no call {callId}");
        return await FollowAsync(caller, snapshot.State, server, ct);
    }

    private async ValueTask<CallToolResult> FollowAsync(McpCaller caller, CallState state, McpServer? server, CancellationToken ct)
    {
        var call = state.Call!;
        var deadline = DateTimeOffset.UtcNow + options.McpWait;
        CallOutput? output = null;
        Task<ElicitResult?>? asking = null;
        var answered = false;
        while (!state.IsTerminal)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) break;
            if (asking is null && state.PendingApproval is { } pending && caller.MayBeAsked && server?.ClientCapabilities?.Elicitation is not null)
                asking = ElicitAsync(server, pending, ct);
            var undecided = state.Status is CallStatus.New or CallStatus.Received;
            var watching = AskAsync<SessionRouter>(new WatchCall(call.Session, call.Id), undecided ? DecisionPoll : left, ct);
            if (asking is not null && !answered && await Task.WhenAny(watching, asking) == asking)
            {
                answered = true;
                if (await asking is { } elicited && state.PendingApproval is { } asked) await AnswerAsync(caller, asked, elicited, ct);
            }
            if (await watching is CallSnapshot finished) (state, output) = (finished.State, finished.Output);
            else if (await AskAsync<SessionRouter>(new GetCall(call.Session, call.Id), options.AskTimeout, ct) is CallSnapshot now) state = now.State;
        }
        if (!state.IsTerminal) return Pending(state);
        output ??= state.Finished is null ? null : await new CallHistoryReader(system).RecordedOutputAsync(call.Session, call.Id, ct);
        return Finished(state, output);
    }

    private static async Task<ElicitResult?> ElicitAsync(McpServer server, ApprovalRequested pending, CancellationToken ct)
    {
        try
        {
            return await server.ElicitAsync(new ElicitRequestParams
            {
                Message = $"Orchestrator asks: allow {pending.CallSummary}? ({pending.Reason})",
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["approve"] = new ElicitRequestParams.BooleanSchema { Description = "Allow this call once" },
                    },
                    Required = ["approve"],
                },
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A client that fails to ask leaves the approval to the operators.
            return null;
        }
    }

    /// <summary>Accepted with approve true approves once; accepted false or declined denies; cancelled leaves it pending.</summary>
    private async Task AnswerAsync(McpCaller caller, ApprovalRequested pending, ElicitResult result, CancellationToken ct)
    {
        if (result.Action is not ("accept" or "decline")) return;
        var approve = result.Action == "accept" && result.Content?.TryGetValue("approve", out var value) == true && value.ValueKind == JsonValueKind.True;
        var reason = approve ? "approved by the MCP client's user (elicitation)" : "denied by the MCP client's user (elicitation)";
        await AskAsync<ApprovalBroker>(new SubmitApprovalAnswer(new ApprovalAnswer(pending.ApprovalId, approve, GrantScope.Once, reason, caller.Principal.Name)),
            options.AskTimeout, ct);
    }

    private async Task<object?> AskAsync<TActor>(object message, TimeSpan timeout, CancellationToken ct)
    {
        if (!registry.TryGet<TActor>(out var actor)) return null;
        try { return await actor.Ask<object>(message, timeout, ct); }
        catch (AskTimeoutException) { return null; }
    }

    private static CallToolResult Pending(CallState state)
    {
        var call = state.Call!;
        var text = state.PendingApproval is { } p
            ? $"pending approval {p.ApprovalId}: {p.CallSummary} ({p.Reason}). An operator answers it (orchestrator approvals approve {p.ApprovalId}); " +
              $"call {McpGatedTools.StatusTool} with call_id {call.Id} to wait for the result."
            : $"call {call.Id} is still {Names.Of(state.Status)}; call {McpGatedTools.StatusTool} with call_id {call.Id} to wait for the result.";
        return new CallToolResult { Content = [new TextContentBlock { Text = text }], IsError = false };
    }

    private static CallToolResult Finished(CallState state, CallOutput? output)
    {
        var text = new StringBuilder();
        var ran = state.Outcome == CallOutcome.AllowedAndRan;
        var exit = state.Finished?.Result.ExitCode;
        if (ran)
        {
            text.Append(output?.Stdout);
            if (output is { Stderr.Length: > 0 }) text.Append(text.Length > 0 ? "\n" : "").Append("[stderr]\n").Append(output.Stderr);
            if (exit is not 0) text.Append(text.Length > 0 ? "\n" : "").Append($"[exit code {exit}]");
        }
        else
        {
            var reason = state.Completion?.Detail ?? state.Interruption?.Reason ?? state.Decided?.Verdict.Reason;
            text.Append($"Orchestrator: {Names.Of(state.Outcome!.Value)}");
            if (reason is not null) text.Append($" — {reason}");
            if (state.Decided?.Verdict.Rule is { } rule) text.Append($" [{rule.Text}]");
        }
        text.Append($"\n(call {state.CallId})");
        return new CallToolResult { Content = [new TextContentBlock { Text = text.ToString() }], IsError = !ran || exit is not 0 };
    }

    private static CallToolResult Failure(string message) =>
        new() { Content = [new TextContentBlock { Text = $"Orchestrator: {message}" }], IsError = true };
}
