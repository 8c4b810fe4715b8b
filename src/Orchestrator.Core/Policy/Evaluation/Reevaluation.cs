namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>
/// A call judged again from its recorded facts: the <see cref="Verdict"/>, or — when the judgement needed something
/// the record does not hold — why it is undecidable. Never a guess.
/// </summary>
public sealed record Reevaluation(Verdict? Verdict, string? UndecidableReason)
{
    public bool IsDecided => Verdict is not null;

    public static Reevaluation Decided(Verdict verdict) => new(verdict, null);

    public static Reevaluation Undecidable(string reason) => new(null, reason);
}
