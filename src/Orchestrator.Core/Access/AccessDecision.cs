namespace Orchestrator.Core.Access;

public enum AccessOutcome
{
    Allowed,
    /// <summary>No (valid) credentials: 401.</summary>
    Unauthenticated,
    /// <summary>Known, but not allowed: 403.</summary>
    Forbidden,
}

public sealed record AccessDecision(AccessOutcome Outcome, string Reason)
{
    public static readonly AccessDecision Allow = new(AccessOutcome.Allowed, "allowed");

    public bool IsAllowed => Outcome == AccessOutcome.Allowed;

    public static AccessDecision Forbid(string reason) => new(AccessOutcome.Forbidden, reason);

    public static AccessDecision NeedsToken(string reason) => new(AccessOutcome.Unauthenticated, reason);
}
