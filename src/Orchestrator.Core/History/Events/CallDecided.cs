using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The call was decided: <see cref="Verdict"/> is the final verdict (policy folded with hooks), <see cref="Hooks"/>
/// what each hook said. <see cref="CoveredByGrant"/> is set when an ask was answered by an existing grant.
/// <see cref="UpdatedInput"/> (masked) is the input a hook rewrote the call to; the verdict is the policy's on it.
/// </summary>
[EventManifest("call-decided.v1")]
public sealed record CallDecided(
    CallId CallId,
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    GrantId? CoveredByGrant,
    DateTimeOffset DecidedAt,
    ImmutableDictionary<string, string>? UpdatedInput = null) : CallEvent(CallId);
