namespace Orchestrator.Sandbox;

/// <summary>
/// How a command ended. <see cref="ExitCode"/> follows the shell: the program's code, 128+n when killed by signal n,
/// 124 on timeout.
/// </summary>
public sealed record CommandResult(
    int ExitCode,
    bool TimedOut,
    int? Signal,
    TimeSpan Duration,
    CapturedOutput Stdout,
    CapturedOutput Stderr,
    SandboxLayers Layers)
{
    public const int TimeoutExitCode = 124;
}
