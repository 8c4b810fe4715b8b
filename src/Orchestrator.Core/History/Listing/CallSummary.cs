using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Listing;

/// <summary>
/// One call as the history lists it: where its first event lies in the journal's global order (<see cref="Position"/>,
/// the paging cursor), who submitted what, the final verdict with the rule and layer that decided it, and how it ended
/// (<see cref="Outcome"/> null while it is open). <see cref="Subject"/> is the recorded (masked) command, path or URL.
/// </summary>
public sealed record CallSummary(
    long Position,
    string CallId,
    string Session,
    string Agent,
    string? Workspace,
    string Tool,
    string Subject,
    DateTimeOffset ReceivedAt,
    Decision? Decision = null,
    string? Reason = null,
    string? Rule = null,
    SettingsLayer? Layer = null,
    CallOutcome? Outcome = null,
    DateTimeOffset? EndedAt = null);
