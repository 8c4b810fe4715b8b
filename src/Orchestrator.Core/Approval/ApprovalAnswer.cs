using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>An operator's (or automatic approver's) answer to one approval request.</summary>
public sealed record ApprovalAnswer(ApprovalId ApprovalId, bool Approved, GrantScope Scope, string? Reason, string AnsweredBy);
