namespace Orchestrator.Core.Access;

/// <summary>What a bearer may do: an agent works in its own sessions, an operator answers approvals, an admin also manages tokens.</summary>
public enum Role
{
    Agent,
    Operator,
    Admin,
}

public static class Roles
{
    public static string Name(this Role role) => role switch
    {
        Role.Agent => "agent",
        Role.Operator => "operator",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>The role named <paramref name="name"/> (agent, operator, admin), or null.</summary>
    public static Role? Parse(string? name) => name switch
    {
        "agent" => Role.Agent,
        "operator" => Role.Operator,
        "admin" => Role.Admin,
        _ => null,
    };
}
