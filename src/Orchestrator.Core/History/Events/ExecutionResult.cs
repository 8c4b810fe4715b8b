using System.Collections.Immutable;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// What the sandbox reports about a finished process. <see cref="CreatedProtectedPaths"/> (added after v1 was first
/// written; absent in older events, which read as empty) lists protected paths that appeared in a writable root while
/// the process ran and what was done with them. <see cref="Output"/> (added later still; absent in older events, which
/// read as null) is the bounded head and tail of each stream kept under the run's output cap. <see cref="Tool"/> (added
/// with the structured tools; absent in older events and in every Bash run, which read as null) is what a structured
/// tool did: the range and digest it read, or the digests and diff of what it wrote.
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
    ToolRecord? Tool = null)
{
    public ImmutableArray<CreatedProtectedPath> CreatedProtectedPaths { get; init; } =
        CreatedProtectedPaths.IsDefault ? [] : CreatedProtectedPaths;
}
