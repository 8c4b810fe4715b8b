using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Calls;
using Orchestrator.Server.Security;

namespace Orchestrator.Server;

/// <summary>
/// Agent teams at ingress: a call naming a parent session is admitted only when the parent's owner (the agent whose
/// first call opened it) is the call's own agent, or an agent whose token declares the call's agent among its
/// <c>subAgents</c>. Anything else — another agent's session, a session that does not exist, a token file that cannot
/// be read — is a recorded 403 and the call is not submitted. The session then records the declaration and keeps it.
/// </summary>
internal static class TeamParents
{
    /// <returns>The parent's owner (to be carried by the submission), or the refusal.</returns>
    public static async Task<(AgentId? ParentAgent, IResult? Error)> CheckAsync(HttpContext http, PipelineGateway pipeline, ToolCall call)
    {
        if (call.ParentSession is not { } parent) return (null, null);
        if (parent == call.Session) return (null, HttpErrors.Error(StatusCodes.Status400BadRequest, "parentSessionId must name another session than sessionId"));
        var (answer, error) = await pipeline.AskAsync<SessionRouter>(new GetSessionTeam(parent), http.RequestAborted);
        if (error is not null) return (null, error);
        var (tokens, unreadable) = http.RequestServices.GetRequiredService<TokenSource>().Current();
        if (answer is SessionTeam { Owner: { } owner } && unreadable is null && tokens.MayJoinTeamOf(call.Agent, owner)) return (owner, null);
        return (null, http.RequestServices.GetRequiredService<Refusals>().Refuse(http, StatusCodes.Status403Forbidden,
            $"agent {call.Agent} cannot name session {parent} as the parent of session {call.Session}: a parent session must belong to " +
            $"the same agent, or to an agent whose token declares {call.Agent} among its subAgents"));
    }
}
