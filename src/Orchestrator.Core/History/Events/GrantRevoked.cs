using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

[EventManifest("grant-revoked.v1")]
public sealed record GrantRevoked(
    GrantId GrantId,
    GrantScope Scope,
    string RuleText,
    SessionId Session,
    string By,
    string? Reason,
    DateTimeOffset At) : HistoryEvent;
