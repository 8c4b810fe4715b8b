using System.Collections.Immutable;
using Orchestrator.Core.Approval;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// The decision for a call: the final verdict (policy folded with hooks) and the hook results. When the verdict is ask,
/// either <see cref="CoveredByGrant"/> names the grant that answers it, or <see cref="Approval"/> says how to ask
/// (required for calls that execute; a decide-only call without it completes with the ask verdict).
/// </summary>
public sealed record DecisionInput(
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    ApprovalRequestSpec? Approval = null,
    GrantId? CoveredByGrant = null)
{
    /// <summary>The input a hook rewrote the call to (unmasked here; masked when recorded).</summary>
    public ImmutableDictionary<string, string>? UpdatedInput { get; init; }

    /// <summary>
    /// The call as it will run (the submission, or what a hook rewrote it to), unmasked: an approval request is built
    /// from it, so the approver sees everything that will run and a grant covers exactly this input.
    /// </summary>
    public Calls.ToolCall? RealCall { get; init; }

    public static DecisionInput Of(VerdictSummary verdict, ApprovalRequestSpec? approval = null, GrantId? coveredByGrant = null) =>
        new(verdict, [], approval, coveredByGrant);
}
