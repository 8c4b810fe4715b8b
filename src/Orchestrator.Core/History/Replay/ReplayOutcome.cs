using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// One recorded decision judged again: the recorded verdict and the replayed one (policy folded with the recorded hook
/// answers), or why it is undecidable (<see cref="After"/> null) — never a guess.
/// </summary>
public sealed record ReplayOutcome(RecordedDecision Call, VerdictSummary? After, string? UndecidableReason)
{
    public VerdictSummary Before => Call.Verdict;

    public bool IsDecided => After is not null;

    public bool Changed => After is not null && After.Decision != Before.Decision;
}
