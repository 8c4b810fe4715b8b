namespace Orchestrator.Core.History.Events;

/// <summary>What the sandbox reports about a finished process.</summary>
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
    string StderrDigest);
