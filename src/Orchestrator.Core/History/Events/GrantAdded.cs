using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// A lasting grant. <see cref="RuleText"/> is the allow rule it amounts to (for always grants, the rule to append to the
/// project-local layer); <see cref="Tool"/> and <see cref="Subject"/> are what it covers; <see cref="Session"/> limits a
/// session grant. <see cref="SubjectDigest"/> is the SHA-256 of the real subject (absent in events written before it
/// was recorded). <see cref="Workspace"/> is the workspace of the call it came from: an always grant covers calls of
/// that workspace only and its rule is written to that workspace's <c>.orchestrator/settings.local.json</c> (null: the
/// server's one workspace; an always grant recorded before it was kept covers every workspace, as it did).
/// </summary>
[EventManifest("grant-added.v1")]
public sealed record GrantAdded(
    GrantId GrantId,
    GrantScope Scope,
    string RuleText,
    string Tool,
    string Subject,
    SessionId Session,
    AgentId Agent,
    ApprovalId? FromApproval,
    string By,
    DateTimeOffset At,
    string? SubjectDigest = null,
    string? Workspace = null) : HistoryEvent;
