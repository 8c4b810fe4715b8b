using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

[EventManifest("approval-answered.v1")]
public sealed record ApprovalAnswered(
    CallId CallId,
    ApprovalId ApprovalId,
    bool Approved,
    GrantScope Scope,
    string? Reason,
    string AnsweredBy,
    DateTimeOffset AnsweredAt) : CallEvent(CallId);
