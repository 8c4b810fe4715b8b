namespace Orchestrator.Load;

/// <summary>
/// How many agents submit, and for how long: <see cref="Calls"/> calls in all, or for <see cref="Duration"/> (the calls
/// in flight at its end still finish and count). Each agent submits its next call when the last one is answered, after
/// a think time drawn from an exponential distribution with mean <see cref="ThinkMs"/> (0: back-to-back).
/// </summary>
public sealed record LoadPlan(int Agents, long? Calls, TimeSpan? Duration, double ThinkMs = 0)
{
    /// <summary>Agents whose first call (which opens their session) may be in flight at once.</summary>
    public int RampWave { get; init; } = 50;
}

/// <summary>
/// How one call ended as its agent saw it: <see cref="Outcome"/> when it was answered (e.g. <c>decided-only</c>,
/// <c>approval-denied</c>), else <see cref="Error"/> (a kind: <c>http-503</c>, <c>timeout</c>, <c>unreachable</c>…).
/// <see cref="Throttled"/> counts the 429s it met before it was taken; <see cref="ApprovalRoundTrip"/> is the time from
/// the approver's answer to the agent's answer, for a call that waited for one.
/// </summary>
public readonly record struct CallResult(string? Outcome, string? Error, int Throttled = 0, TimeSpan? ApprovalRoundTrip = null)
{
    public static CallResult Answered(string outcome, int throttled = 0, TimeSpan? approvalRoundTrip = null) => new(outcome, null, throttled, approvalRoundTrip);

    public static CallResult Failed(string kind, int throttled = 0) => new(null, kind, throttled);
}
