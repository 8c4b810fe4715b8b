namespace Orchestrator.Core.Classification;

/// <summary>A risk raised by a positional argument's shape (<c>hostname NAME</c>, <c>git push +ref</c>).</summary>
internal sealed record PositionalRule(
    string? StartsWith,
    string? NotStartsWith,
    CommandRisk Risk,
    string Reason,
    bool EscapeHatch)
{
    public bool Matches(string argument) =>
        (StartsWith is null || argument.StartsWith(StartsWith, StringComparison.OrdinalIgnoreCase)) &&
        (NotStartsWith is null || !argument.StartsWith(NotStartsWith, StringComparison.Ordinal));
}
