using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Access;

/// <summary>One issued token as stored: its name, role, bound agent and the SHA-256 of the secret — never the secret.</summary>
public sealed record TokenRecord(string Name, Role Role, AgentId? Agent, string Hash, DateTimeOffset CreatedAt)
{
    public Principal Principal => new(Name, Role, Agent);
}
