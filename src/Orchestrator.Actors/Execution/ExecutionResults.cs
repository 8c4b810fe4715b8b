using Orchestrator.Core.History.Events;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Execution;

public static class ExecutionResults
{
    /// <summary>
    /// The recorded facts of a finished command: exit, timing, byte counts, truncation and digests of the whole streams,
    /// protected paths that appeared while it ran (moved into the quarantine), and the kept head and tail of each stream
    /// (bounded by the run's output cap: the only copy of output that is recorded).
    /// </summary>
    public static ExecutionResult From(CommandResult result) => new(
        result.ExitCode,
        result.TimedOut,
        result.Signal,
        result.Duration,
        result.Stdout.TotalBytes,
        result.Stderr.TotalBytes,
        result.Stdout.Truncated,
        result.Stderr.Truncated,
        result.Stdout.Sha256,
        result.Stderr.Sha256,
        result.CreatedProtectedPaths,
        new RecordedOutput(KeptStream.Of(result.Stdout.Head, result.Stdout.Tail), KeptStream.Of(result.Stderr.Head, result.Stderr.Tail)),
        KilledAtMemoryLimit: result.KilledAtMemoryLimit);
}
