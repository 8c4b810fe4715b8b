namespace Orchestrator.Sandbox.Process;

/// <summary>
/// How a launched process ended. <see cref="ExitCode"/> follows the shell: the program's own code; 128+n when it died
/// of signal n (then <see cref="Signal"/> is n); <see cref="TimeoutExitCode"/> when we killed it for running too long;
/// <see cref="CancelledExitCode"/> (128+SIGKILL) when we killed it because the caller cancelled.
/// <see cref="Duration"/> runs from start until the process itself exited, not including the drain.
/// <see cref="DrainTimedOut"/> says something kept the output pipes open past the drain timeout and was killed.
/// </summary>
public sealed record ProcessOutcome(
    int ExitCode,
    bool TimedOut,
    int? Signal,
    TimeSpan Duration,
    CapturedOutput Stdout,
    CapturedOutput Stderr,
    int Pid,
    bool DrainTimedOut)
{
    public const int TimeoutExitCode = 124;
    public const int CancelledExitCode = 128 + Signals.Kill;

    /// <summary>The caller's token fired before the process exited; it was killed.</summary>
    public bool Cancelled { get; init; }
}
