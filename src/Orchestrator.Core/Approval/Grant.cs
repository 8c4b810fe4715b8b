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

    /// <summary>Always grants cover every session of their workspace; session and team grants their own session (and its sub-sessions).</summary>
    public bool CoversSession(SessionId session) => Scope == GrantScope.Always || Session == session;

    /// <summary>
    /// Whether this grant answers an ask of <paramref name="call"/>: an always grant in every session of its workspace
    /// (one recorded without a workspace, in every workspace); a session or team grant in its session and in every
    /// sub-session declared under it (<see cref="ToolCall.ParentSession"/>, which the session sets only once the
    /// declaration was checked). A team grant's session is the team's parent session (see <see cref="ApprovalBook.GrantFor"/>).
    /// </summary>
    public bool Covers(ToolCall call) => Scope == GrantScope.Always
        ? Workspace is null || string.Equals(Workspace, call.Workspace, StringComparison.Ordinal)
        : Session == call.Session || (call.ParentSession is { } parent && Session == parent);
}
