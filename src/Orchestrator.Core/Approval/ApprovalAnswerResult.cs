using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Core.Approval;

/// <summary>
/// The broker's check of an answer. When accepted, <see cref="Request"/> is the request it answers, <see cref="Grant"/>
/// the grant to persist once the call has recorded the answer (none for once or denials), and
/// <see cref="AlwaysRuleText"/> the allow rule to append to the project-local layer for an always grant.
/// </summary>
public sealed record ApprovalAnswerResult(bool Accepted, ApprovalRequested? Request, GrantAdded? Grant, Rejection? Rejection)
{
    public string? AlwaysRuleText => Grant is { Scope: GrantScope.Always } always ? always.RuleText : null;

    public static ApprovalAnswerResult Accept(ApprovalRequested request, GrantAdded? grant) => new(true, request, grant, null);

    public static ApprovalAnswerResult Reject(Rejection rejection) => new(false, null, null, rejection);
}
