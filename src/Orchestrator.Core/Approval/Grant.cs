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
    DateTimeOffset At)
{
    public static Grant From(GrantAdded added) => new(added.GrantId, added.Scope, added.RuleText,
        GrantSubject.Recorded(added.Tool, added.Subject, added.SubjectDigest), added.Session, added.Agent, added.FromApproval, added.By, added.At);

    /// <summary>Always grants cover every session; session grants only their own.</summary>
    public bool CoversSession(SessionId session) => Scope == GrantScope.Always || Session == session;
}
