using Orchestrator.Core.Paths;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The final verdict of a call as recorded: decision, the stable reason class, the reason text, the matched rule
/// (text, layer, file:line:column), the classifier's reason, the mode, the policy version, and the filesystem facts
/// the policy judged on (<see cref="FileFacts.ForRecord"/>: secrets masked; absent in journals written before them).
/// </summary>
public sealed record VerdictSummary(
    Decision Decision,
    ReasonClass ReasonClass,
    string Reason,
    MatchedRule? Rule,
    string? ClassifierReason,
    RecordedMode Mode,
    string PolicyVersion,
    FileFacts? Facts = null)
{
    /// <summary>
    /// The summary of <paramref name="verdict"/>; its facts masked for the record unless <paramref name="recordedFacts"/>
    /// are given (a replay judged on facts read from the record, already masked: masking them again is half its cost).
    /// </summary>
    public static VerdictSummary From(Verdict verdict, FileFacts? recordedFacts = null) => new(
        verdict.Decision,
        verdict.ReasonClass,
        verdict.Reason,
        verdict.Rule is { } rule
            ? new MatchedRule(rule.Decision, rule.Text, rule.Origin.Layer, rule.Origin.Location.File,
                rule.Origin.Location.Line, rule.Origin.Location.Column)
            : null,
        verdict.ClassifierReason,
        RecordedMode.From(verdict.Mode),
        verdict.PolicyVersion,
        recordedFacts ?? verdict.Facts?.ForRecord());
}
