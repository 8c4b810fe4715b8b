using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// What one hook answered, recorded so replay never re-runs it. <see cref="ExitCode"/> is null when the hook did not
/// exit (timeout, failed to start); <see cref="Decision"/> is null when it raised no objection.
/// </summary>
public sealed record HookResult(
    string Name,
    string Command,
    int? ExitCode,
    Decision? Decision,
    string? Reason,
    TimeSpan Duration,
    string? OutputDigest);
