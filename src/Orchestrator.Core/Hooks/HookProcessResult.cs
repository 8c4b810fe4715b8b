namespace Orchestrator.Core.Hooks;

/// <summary>
/// What running one hook process produced. <see cref="ExitCode"/> is null when the process did not exit on its own;
/// <see cref="Failure"/> then says why (timed out, could not start, circuit breaker open, too many hooks waiting).
/// </summary>
public sealed record HookProcessResult(int? ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, string? Failure = null)
{
    public static HookProcessResult NotCompleted(string failure, TimeSpan duration, string standardOutput = "", string standardError = "") =>
        new(null, standardOutput, standardError, duration, failure);
}
