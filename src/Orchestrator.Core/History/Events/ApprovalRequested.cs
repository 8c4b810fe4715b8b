using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// An operator (or automatic approver) is asked. <see cref="Tool"/> and <see cref="Subject"/> are what a session or
/// always grant from this request would cover; <see cref="EscalationLevel"/> is 0 for the first request and counts up
/// when a timeout escalates to another approver group. <see cref="Subject"/> is shown masked; <see cref="SubjectDigest"/>
/// is the SHA-256 of the real subject (see <see cref="Approval.GrantSubject"/>); events written before it was
/// recorded have none. <see cref="Workspace"/> is the call's workspace (null: the server's one workspace, or a request
/// recorded before it was kept); an always grant from this request writes its rule into that workspace's project-local
/// layer. <see cref="ParentSession"/> is the parent of the call's session when it is a sub-agent's (null otherwise, and
/// in requests recorded before teams).
/// </summary>
[EventManifest("approval-requested.v1")]
public sealed record ApprovalRequested(
    CallId CallId,
    ApprovalId ApprovalId,
    AgentId Agent,
    SessionId Session,
    string Tool,
    string Subject,
    string CallSummary,
    ReasonClass ReasonClass,
    string Reason,
    GrantScope RequestedScope,
    string ApproverGroup,
    int EscalationLevel,
    DateTimeOffset RequestedAt,
    DateTimeOffset Deadline,
    string? SubjectDigest = null,
    string? Workspace = null,
    SessionId? ParentSession = null) : CallEvent(CallId);
