using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The call was decided: <see cref="Verdict"/> is the final verdict (policy folded with hooks), <see cref="Hooks"/>
/// what each hook said. <see cref="CoveredByGrant"/> is set when an ask was answered by an existing grant.
/// </summary>
[EventManifest("call-decided.v1")]
public sealed record CallDecided(
    CallId CallId,
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    GrantId? CoveredByGrant,
    DateTimeOffset DecidedAt) : CallEvent(CallId);
