using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Access;

/// <summary>
/// Who sent a request. A token's principal carries the token's name and role (and, for an agent, the one agent id it
/// is bound to). Without any token configured (one local user) there are two: <see cref="LocalUser"/>, who proved it
/// can read the server's secret, and <see cref="LocalCaller"/>, anything else on this machine, which may act as any
/// agent but never as an operator.
/// </summary>
public sealed record Principal(string Name, Role Role, AgentId? Agent = null, bool IsLocal = false)
{
    public static readonly Principal LocalUser = new("local", Role.Admin, IsLocal: true);

    public static readonly Principal LocalCaller = new("local-caller", Role.Agent, IsLocal: true);

    /// <summary>Whether this principal may act for <paramref name="agent"/> (always, unless bound to another agent).</summary>
    public bool MayActFor(AgentId agent) => Role != Role.Agent || Agent is not { } bound || bound == agent;

    /// <summary>The name recorded on what this principal submits; none for the local user, whose own approval counts.</summary>
    public string? SubmitterName => IsLocal ? null : Name;

    public override string ToString() => Agent is { } a ? $"{Name} ({Role.Name()} of agent {a})" : $"{Name} ({Role.Name()})";
}
