namespace Orchestrator.Sandbox.Windows;

/// <summary>
/// The job object every launched process is assigned to (while suspended, before its first instruction).
/// <see cref="PerJobUserTimeLimitTicks"/> is in 100 ns units; null means no CPU limit.
/// </summary>
public sealed record JobObjectLimits(
    bool KillOnJobClose,
    bool DieOnUnhandledException,
    bool AllowBreakaway,
    int ActiveProcessLimit,
    long JobMemoryLimitBytes,
    long? PerJobUserTimeLimitTicks,
    JobUiRestrictions UiRestrictions);
