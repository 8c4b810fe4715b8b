using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// What one hook answered, recorded so replay never re-runs it. <see cref="ExitCode"/> is null when the hook did not
/// exit (timeout, failed to start; an http hook's status is not an exit code); <see cref="Decision"/> is null when it
/// raised no objection. <see cref="AdditionalContext"/> is the hook's <c>additionalContext</c> for the agent (bounded);
/// <see cref="Event"/> the hook event it ran for — null in records written before other events ran, meaning PreToolUse.
/// </summary>
public sealed record HookResult(
    string Name,
    string Command,
    int? ExitCode,
    Decision? Decision,
    string? Reason,
    TimeSpan Duration,
    string? OutputDigest,
    string? AdditionalContext = null,
    string? Event = null);
