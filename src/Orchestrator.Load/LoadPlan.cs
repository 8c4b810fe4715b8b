namespace Orchestrator.Load;

/// <summary>
/// How many agents submit, and for how long: <see cref="Calls"/> calls in all, or for <see cref="Duration"/> (the calls
/// in flight at its end still finish and count; none is sent that was due after it). With <see cref="ThinkMs"/> 0 each
/// agent sends its next call as soon as the last is answered (a closed loop: the server sets the rate); above 0 each
/// agent keeps a <see cref="SendSchedule"/> of mean interval <see cref="ThinkMs"/>, so together they offer
/// <see cref="OfferedPerSecond"/> whatever the server's speed. <see cref="Seed"/> fixes the schedules (tests).
/// </summary>
public sealed record LoadPlan(int Agents, long? Calls, TimeSpan? Duration, double ThinkMs = 0)
{
    /// <summary>Agents whose first call (which opens their session) may be in flight at once.</summary>
    public int RampWave { get; init; } = 50;

    public int? Seed { get; init; }

    /// <summary>The calls per second the agents' schedules offer; null for back-to-back agents.</summary>
    public double? OfferedPerSecond => ThinkMs > 0 ? Agents * 1000.0 / ThinkMs : null;

    internal Random RandomFor(int agent) => Seed is { } seed ? new Random(unchecked(seed * 1_000_003 + agent)) : Random.Shared;
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
