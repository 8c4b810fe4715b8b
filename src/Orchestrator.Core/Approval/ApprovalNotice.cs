using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Approval;

/// <summary>
/// What the webhook channel POSTs for each new approval (JSON, camelCase): enough for a person to decide and the URL to
/// answer at (<c>POST {answerUrl}</c> with an operator's token). <see cref="Summary"/> and <see cref="Subject"/> are
/// shown masked, as in the listing.
/// </summary>
public sealed record ApprovalNotice(
    string Type,
    string ApprovalId,
    string CallId,
    string Summary,
    string Tool,
    string Subject,
    string ReasonClass,
    string Reason,
    string AgentId,
    string SessionId,
    string? Workspace,
    string ApproverGroup,
    int EscalationLevel,
    DateTimeOffset RequestedAt,
    DateTimeOffset Deadline,
    string? AnswerUrl)
{
    public const string RequestedType = "approval.requested";

    /// <param name="server">The server's address, for the answer URL; null leaves it out.</param>
    public static ApprovalNotice From(ApprovalRequested r, Uri? server) => new(RequestedType, r.ApprovalId.Value, r.CallId.Value,
        r.CallSummary, r.Tool, r.Subject, r.ReasonClass.Name(), r.Reason, r.Agent.Value, r.Session.Value, r.Workspace, r.ApproverGroup,
        r.EscalationLevel, r.RequestedAt, r.Deadline,
        server is null ? null : new Uri(server, $"v1/approvals/{Uri.EscapeDataString(r.ApprovalId.Value)}").ToString());
}
