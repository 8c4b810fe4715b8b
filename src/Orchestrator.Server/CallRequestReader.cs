using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Calls.Input;
using Orchestrator.Core.History.Events;
using static Orchestrator.Server.HttpErrors;

namespace Orchestrator.Server;

/// <summary>A call request checked into types: the call, its intent and how long the client waits (null: not at all).</summary>
/// <param name="Record">False only for a check that asked not to be recorded.</param>
internal sealed record ValidCallRequest(ToolCall Call, CallIntent Intent, TimeSpan? Wait, bool Record = true);

/// <summary>
/// Reads the body of <c>POST /v1/calls</c> and <c>POST /v1/check</c> and validates every field before any actor sees
/// it: ids by <see cref="IdSyntax"/>, the input by the tool's schema, <c>cwd</c> absolute, <c>intent</c> known,
/// <c>wait</c> by <see cref="WaitDuration"/>. Any problem is a 400 naming the field.
/// </summary>
internal static class CallRequestReader
{
    /// <param name="requireIds">Submissions name their agent and session; a check may leave them out.</param>
    /// <param name="defaultAgent">The agent of a check that names none (the token's own agent, else <c>check</c>).</param>
    public static async Task<(ValidCallRequest? Request, IResult? Error)> ReadAsync(HttpContext http, bool requireIds, AgentId? defaultAgent = null)
    {
        var (request, error) = await ReadJsonAsync<CallRequest>(http);
        if (error is not null) return (null, error);
        var (valid, problem) = Validate(request!, requireIds, defaultAgent);
        if (problem is not null) return (null, Error(StatusCodes.Status400BadRequest, problem));
        return InWorkspace(http, valid!, request!.Workspace);
    }

    /// <summary>The call placed in its workspace, or refused (recorded) when it has none this server serves.</summary>
    private static (ValidCallRequest? Request, IResult? Error) InWorkspace(HttpContext http, ValidCallRequest valid, string? workspace)
    {
        if (http.RequestServices.GetService<ServedWorkspaces>() is not { } served) return (valid, null);
        var (resolved, status, refusal) = served.Resolve(workspace, valid.Call.WorkingDirectory);
        if (refusal is not null) return (null, http.RequestServices.GetRequiredService<Security.Refusals>().Refuse(http, status, refusal));
        return (resolved is null ? valid : valid with { Call = valid.Call with { Workspace = resolved } }, null);
    }

    public static (ValidCallRequest? Request, string? Problem) Validate(CallRequest r, bool requireIds, AgentId? defaultAgent = null)
    {
        var missing = new List<string>();
        if (requireIds && r.AgentId is null) missing.Add("agentId");
        if (requireIds && r.SessionId is null) missing.Add("sessionId");
        if (r.Tool is null) missing.Add("tool");
        if (string.IsNullOrWhiteSpace(r.Cwd)) missing.Add("cwd");
        if (missing.Count > 0) return (null, $"missing field(s): {string.Join(", ", missing)}");

        var idProblem = (r.Id is null ? null : IdSyntax.Problem("id", r.Id))
            ?? (r.AgentId is null ? null : IdSyntax.Problem("agentId", r.AgentId))
            ?? (r.SessionId is null ? null : IdSyntax.Problem("sessionId", r.SessionId))
            ?? (r.ParentSessionId is null ? null : IdSyntax.Problem("parentSessionId", r.ParentSessionId))
            ?? IdSyntax.Problem("tool", r.Tool);
        if (idProblem is not null) return (null, idProblem);
        if (r.Intent is not (null or "execute" or "decide-only"))
            return (null, $"intent must be 'execute' or 'decide-only', not '{r.Intent}'");
        if (!requireIds && r.Intent is "execute") return (null, "a check is decide-only; submit calls to run to /v1/calls");
        if (requireIds && r.Record is false) return (null, "record: false applies only to /v1/check; every submitted call is recorded");
        if (!Path.IsPathRooted(r.Cwd)) return (null, "cwd must be an absolute path");
        var (wait, waitProblem) = WaitDuration.Parse(r.Wait);
        if (waitProblem is not null) return (null, waitProblem);
        var input = ToolInputReader.Read(r.Tool!, r.Input);
        if (input.Error is not null) return (null, input.Error);

        var agent = r.AgentId ?? defaultAgent?.Value ?? CheckSessions.DefaultAgent;
        // A check that names no session goes to its agent's own check session (sessions belong to one agent).
        var session = r.SessionId ?? CheckSessions.For(new AgentId(agent)).Value;
        var call = new ToolCall(
            new CallId(r.Id ?? Guid.NewGuid().ToString("n")),
            r.Tool!,
            input.Values!,
            r.Cwd!,
            new AgentId(agent),
            new SessionId(session),
            ParentSession: r.ParentSessionId is null ? null : new SessionId(r.ParentSessionId));
        // A check (no ids required) is always decide-only.
        var intent = !requireIds || r.Intent is "decide-only" ? CallIntent.DecideOnly : CallIntent.Execute;
        return (new ValidCallRequest(call, intent, wait, r.Record ?? true), null);
    }
}
