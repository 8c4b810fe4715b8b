namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Limits of the <see cref="HookActor"/>: at most <see cref="MaxConcurrentHooks"/> hook processes at once, at most
/// <see cref="MaxQueuedHooks"/> waiting for a slot (beyond that a hook fails, so overload denies instead of queuing
/// without bound), of which one agent holds at most <see cref="MaxConcurrentHooksPerAgent"/> (with at most
/// <see cref="MaxQueuedHooksPerAgent"/> of its own waiting), and a circuit breaker per hook command and agent that opens
/// after <see cref="BreakerFailures"/> failures in a row within <see cref="BreakerWindow"/> and keeps the hook from
/// running for that agent for <see cref="BreakDuration"/> — one agent's failing calls never open it for another.
/// </summary>
public sealed record HookActorOptions
{
    public static readonly HookActorOptions Default = new();

    public int MaxConcurrentHooks { get; init; } = 8;
    public int MaxQueuedHooks { get; init; } = 1024;
    public int MaxConcurrentHooksPerAgent { get; init; } = 4;
    public int MaxQueuedHooksPerAgent { get; init; } = 64;
    public int BreakerFailures { get; init; } = 5;
    public TimeSpan BreakerWindow { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}
