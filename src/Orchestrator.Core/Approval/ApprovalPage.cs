using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>
/// A page of pending approvals, earliest deadline first; <see cref="NextAfter"/> is where the page after it starts (null
/// on the last page), <see cref="Next"/> the same as the opaque cursor a client sends back; <see cref="Total"/> counts
/// every pending approval the query's filters match, on every page.
/// </summary>
public sealed record ApprovalPage(IReadOnlyList<ApprovalRequested> Approvals, ApprovalPosition? NextAfter, int Total)
{
    public string? Next => NextAfter?.Cursor;
}
