namespace Orchestrator.Core.Paths;

/// <summary>The verdict on one path; <see cref="CanonicalPath"/> is the raw path when it could not be resolved.</summary>
public sealed record PathCheckResult(PathCheckOutcome Outcome, string CanonicalPath, string Reason)
{
    /// <summary>For <see cref="PathCheckOutcome.Protected"/>: the protected location (a rule must name it to override).</summary>
    public string? ProtectedPath { get; init; }

    public bool IsAllowed => Outcome == PathCheckOutcome.Allowed;
}
