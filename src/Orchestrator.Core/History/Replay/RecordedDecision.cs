using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// What a what-if replay needs of one recorded decision: the call as it was judged (its real input, or the input a
/// hook rewrote it to; null when its masked secrets cannot be opened), the recorded verdict (policy version, mode,
/// filesystem facts) and what each hook answered. Nothing here is read from the live disk.
/// </summary>
public sealed record RecordedDecision(
    CallId CallId,
    AgentId Agent,
    SessionId Session,
    string Tool,
    ToolCall? Subject,
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The decision <paramref name="decided"/> recorded for <paramref name="received"/>; secrets opened with <paramref name="cipher"/>.</summary>
    public static RecordedDecision From(CallReceived received, CallDecided decided, InputCipher? cipher) =>
        DecisionRecord.From(received, decided).Open(cipher);
}
