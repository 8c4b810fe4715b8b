using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Access;

/// <summary>
/// One issued token as stored: its name, role, bound agent and the SHA-256 of the secret — never the secret.
/// <see cref="SubAgents"/> (agent tokens only) are the agents this token's agent admits into its team: their sessions
/// may name a session of this agent as their parent.
/// </summary>
public sealed record TokenRecord(string Name, Role Role, AgentId? Agent, string Hash, DateTimeOffset CreatedAt)
{
    public ImmutableArray<AgentId> SubAgents { get; init; } = [];

    public Principal Principal => new(Name, Role, Agent);
}
