using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Approval;

/// <summary>A live session or always grant, as listed to operators.</summary>
public sealed record Grant(
    GrantId Id,
    GrantScope Scope,
    string RuleText,
    GrantSubject Subject,
    SessionId Session,
    AgentId Agent,
    ApprovalId? FromApproval,
    string By,
    DateTimeOffset At,
    string? Workspace = null)
{
    public static Grant From(GrantAdded added) => new(added.GrantId, added.Scope, added.RuleText,
        GrantSubject.Recorded(added.Tool, added.Subject, added.SubjectDigest), added.Session, added.Agent, added.FromApproval, added.By, added.At,
        added.Workspace);

    /// <summary>Always grants cover every session of their workspace; session grants only their own session.</summary>
    public bool CoversSession(SessionId session) => Scope == GrantScope.Always || Session == session;

    /// <summary>
    /// Whether this grant answers an ask of <paramref name="call"/>: a session grant in its session; an always grant in
    /// every session of its workspace (one recorded without a workspace, in every workspace).
    /// </summary>
    public bool Covers(ToolCall call) => Scope == GrantScope.Always
        ? Workspace is null || string.Equals(Workspace, call.Workspace, StringComparison.Ordinal)
        : Session == call.Session;
}
