using Orchestrator.Core.Calls;

namespace Orchestrator.Server;

/// <summary>Where a check that names no agent or session is recorded: agent <c>check</c>, session <c>check.AGENT</c>.</summary>
internal static class CheckSessions
{
    public const string DefaultAgent = "check";

    /// <summary>The agent's own check session (sessions belong to the agent that opened them), kept within the id length.</summary>
    public static SessionId For(AgentId agent)
    {
        var id = "check." + agent.Value;
        return new SessionId(id.Length <= IdSyntax.MaxLength ? id : id[..IdSyntax.MaxLength]);
    }
}
