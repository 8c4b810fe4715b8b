using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// A session named its parent (agent teams), with its first call <see cref="CallId"/>. Written by the session itself,
/// once, before that call's events; the parent never changes afterwards. Ingress admitted it only because
/// <see cref="ParentAgent"/> (the agent whose first call opened the parent) is <see cref="Agent"/> itself or declared
/// <see cref="Agent"/> as its sub-agent on its token. Grants of the parent's session and team grants then cover the
/// session's calls.
/// </summary>
[EventManifest("session-parent-declared.v1")]
public sealed record SessionParentDeclared(
    SessionId Session,
    SessionId Parent,
    AgentId Agent,
    AgentId ParentAgent,
    CallId CallId,
    DateTimeOffset DeclaredAt) : HistoryEvent;
