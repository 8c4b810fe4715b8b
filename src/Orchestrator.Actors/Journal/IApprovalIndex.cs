using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// The durable approval index kept by the journal beside the call directory (in the same transaction as the events):
/// which approvals are unsettled — still waiting for an operator, or answered "session"/"always" with the grant not
/// yet written — and where any approval ever requested lives. The approval broker is rebuilt from it at start instead
/// of reading every approval event; the sessions' sealed journals stay the truth (each request is read back from its
/// own row, its seal checked).
/// </summary>
public interface IApprovalIndex
{
    Task<UnsettledApprovals> UnsettledAsync(CancellationToken cancellationToken = default);

    /// <summary>The session and call of an approval ever requested (open or settled); null for an id never issued.</summary>
    Task<(SessionId Session, CallId Call)?> FindApprovalAsync(ApprovalId approval, CancellationToken cancellationToken = default);
}

/// <summary>
/// The unsettled approvals: <see cref="Pending"/> requests (on calls still open), <see cref="GrantsDue"/> (an approving
/// answer whose grant is not written yet), and the sessions whose rows could not be read back or did not match
/// (<see cref="SessionsToWake"/>: their own recovery settles them, or closes the session), with why.
/// </summary>
public sealed record UnsettledApprovals(
    IReadOnlyList<ApprovalRequested> Pending,
    IReadOnlyList<(ApprovalRequested Request, ApprovalAnswered Answer)> GrantsDue,
    IReadOnlyList<SessionId> SessionsToWake,
    IReadOnlyList<string> Problems);
