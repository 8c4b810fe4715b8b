using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Approvals;

// Commands

/// <summary>
/// An operator answers an approval. The broker routes it to the call's session, which answers with
/// <c>ApprovalAnswerAccepted</c> / <c>ApprovalAnswerRejected</c>; an id never issued gets <see cref="ApprovalNotFound"/>.
/// </summary>
public sealed record SubmitApprovalAnswer(ApprovalAnswer Answer);

/// <summary>Revokes a live grant; answered with <see cref="GrantRevocationAnswered"/>.</summary>
public sealed record RevokeGrant(GrantId GrantId, string By, string? Reason);

// Events (told by sessions after their events are persisted, and again when they recover)

/// <summary>Approval-related call events a session has persisted (or replayed): the broker's index follows them.</summary>
public sealed record ApprovalEventsRecorded(ImmutableArray<CallEvent> Events);

// Queries

/// <summary>
/// Answered with an <see cref="ApprovalPage"/>: one page of the pending approvals, earliest deadline first, worked out
/// from the broker's ordered index in O(page) — never a copy of every pending approval. No query: the first page of
/// the default size.
/// </summary>
public sealed record ListApprovals(ApprovalListQuery Query)
{
    public ListApprovals() : this(ApprovalListQuery.FirstPage) { }
}

public sealed record ApprovalNotFound(ApprovalId ApprovalId);

/// <summary>The approval index could not be read to route an answer to an approval the broker does not hold: ask again.</summary>
public sealed record ApprovalIndexUnavailable(ApprovalId ApprovalId, string Reason);

/// <summary>Is an ask for this call already answered by a live grant? Answered with <see cref="GrantLookup"/>.</summary>
public sealed record FindGrant(ToolCall Call, Decision Decision) : Stages.ICallScoped
{
    public CallId? ScopedCallId => Call?.Id;
}

public sealed record GrantLookup(CallId CallId, Grant? Grant);

/// <summary>Answered with <see cref="CurrentGrants"/>.</summary>
public sealed record ListGrants;

public sealed record CurrentGrants(IReadOnlyList<Grant> Grants);

public sealed record GrantRevocationAnswered(GrantId GrantId, GrantRevoked? Revoked, string? Rejection);
