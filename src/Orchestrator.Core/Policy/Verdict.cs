using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy;

/// <summary>
/// A decision that explains itself: the decision, the reason that decided it (with the matched rule, its file:line and
/// layer, or the classifier's reason), the mode it was judged under, every finding behind it, and the filesystem facts
/// it was judged on (<see cref="Facts"/>: with the call and the policy snapshot, enough to judge it again).
/// </summary>
public sealed record Verdict(
    Decision Decision,
    ReasonClass ReasonClass,
    string Reason,
    PermissionRule? Rule,
    EffectiveMode Mode,
    IReadOnlyList<Finding> Findings,
    string PolicyVersion,
    FileFacts? Facts = null)
{
    public string? ClassifierReason =>
        Findings.FirstOrDefault(f => f.Rule is null && f.Class is ReasonClass.ReadOnly or ReasonClass.WorkspaceWrite
            or ReasonClass.Network or ReasonClass.Destructive or ReasonClass.UnknownProgram or ReasonClass.EscapeHatch)?.Message;
}
