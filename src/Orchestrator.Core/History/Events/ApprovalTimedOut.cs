using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>No answer by the deadline. <see cref="EscalatedTo"/> names the next approver group when the request was escalated instead of denied.</summary>
[EventManifest("approval-timed-out.v1")]
public sealed record ApprovalTimedOut(
    CallId CallId,
    ApprovalId ApprovalId,
    DateTimeOffset Deadline,
    string? EscalatedTo,
    DateTimeOffset TimedOutAt) : CallEvent(CallId);
