using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>The event to persist for a revocation, or why there is nothing to revoke.</summary>
public sealed record GrantRevocationResult(GrantRevoked? Event, string? Rejection)
{
    public bool Accepted => Event is not null;
}
