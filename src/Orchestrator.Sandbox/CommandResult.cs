using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Sandbox;

/// <summary>
/// How a command ended. <see cref="ExitCode"/> follows the shell: the program's code, 128+n when killed by signal n,
/// 124 on timeout. When <see cref="SandboxFailure"/> is set the command never started: the sandbox failed before it
/// (the exit code and output are the sandbox's, not the command's).
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

    /// <summary>Why the sandbox failed before the command started, or null when the command started.</summary>
    public string? SandboxFailure { get; init; }

    /// <summary>Protected paths that appeared in a writable root while the command ran, and what was done with them.</summary>
    public ImmutableArray<CreatedProtectedPath> CreatedProtectedPaths { get; init; } = [];

    /// <summary>
    /// The memory limit (bytes) the kernel killed a process of the run for reaching (its cgroup's OOM killer); null when
    /// none was, the run exited 0 all the same, or it had no memory cgroup. The exit code alone (137: signal 9) does not say why.
    /// </summary>
    public long? KilledAtMemoryLimit { get; init; }

    /// <summary>What the sandbox did besides running the command (e.g. stubs of older versions moved into the quarantine).</summary>
    public ImmutableArray<string> Notices { get; init; } = [];
}
