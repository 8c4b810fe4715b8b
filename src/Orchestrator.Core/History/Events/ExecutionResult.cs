using System.Collections.Immutable;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// What the sandbox reports about a finished process. <see cref="CreatedProtectedPaths"/> (added after v1 was first
/// written; absent in older events, which read as empty) lists protected paths that appeared in a writable root while
/// the process ran and what was done with them. <see cref="Output"/> (added later still; absent in older events, which
/// read as null) is the bounded head and tail of each stream kept under the run's output cap. <see cref="Tool"/> (added
/// with the structured tools; absent in older events and in every Bash run, which read as null) is what a structured
/// tool did: the range and digest it read, or the digests and diff of what it wrote. <see cref="KilledAtMemoryLimit"/>
/// (added later; absent in older events and in runs nothing killed for memory, which read as null) is the memory limit in
/// bytes the kernel killed a process of the run for reaching.
/// </summary>
public sealed record ExecutionResult(
    int ExitCode,
    bool TimedOut,
    int? Signal,
    TimeSpan Duration,
    long StdoutBytes,
    long StderrBytes,
    bool StdoutTruncated,
    bool StderrTruncated,
    string StdoutDigest,
    string StderrDigest,
    ImmutableArray<CreatedProtectedPath> CreatedProtectedPaths = default,
    RecordedOutput? Output = null,
    ToolRecord? Tool = null,
    long? KilledAtMemoryLimit = null)
{
    public ImmutableArray<CreatedProtectedPath> CreatedProtectedPaths { get; init; } =
        CreatedProtectedPaths.IsDefault ? [] : CreatedProtectedPaths;

    /// <summary>What a user reads of a run killed at its memory limit of <paramref name="limitBytes"/> (the hooks' error, <c>run</c>'s note).</summary>
    public static string KilledAtMemoryLimitText(long limitBytes) =>
        "the run was killed: it reached its memory limit of " + (limitBytes % (1024 * 1024) == 0
            ? $"{limitBytes / (1024 * 1024)} MiB"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{limitBytes} bytes"));
}
