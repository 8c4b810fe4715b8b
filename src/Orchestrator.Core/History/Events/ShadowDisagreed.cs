using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The shadow policy (<c>serve --shadow-policy</c>) judged a live call otherwise than the enforced policy did: what was
/// enforced, what the candidate would have decided, by which rule (else the reason class), and why. Recorded beside
/// the history, never enforced.
/// </summary>
[EventManifest("shadow-disagreed.v1")]
public sealed record ShadowDisagreed(
    CallId CallId,
    AgentId Agent,
    string Tool,
    Decision Enforced,
    Decision Candidate,
    string Rule,
    string Reason,
    string CandidatePolicy,
    DateTimeOffset At) : HistoryEvent;
