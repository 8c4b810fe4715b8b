using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.History.Integrity;

namespace Orchestrator.Core.History.Replay;

/// <summary>
/// A call's decision inputs as the journal recorded them (its received and first decided events): the call as
/// submitted with its secrets masked, its real input still encrypted when secrets were masked, the input a hook
/// rewrote it to, the verdict and the hook answers. What the history read model keeps for replay in its compact form
/// (<see cref="DecisionRecordCodec"/>): the real input is never stored opened.
/// </summary>
public sealed record DecisionRecord(
    CallId CallId,
    AgentId Agent,
    SessionId Session,
    ToolCall Call,
    int MaskedSecrets,
    string? UnmaskedInput,
    ImmutableDictionary<string, string>? UpdatedInput,
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    DateTimeOffset ReceivedAt)
{
    public static DecisionRecord From(CallReceived received, CallDecided decided) => new(
        received.CallId, received.Agent, received.Session, received.Call, received.MaskedSecrets, received.UnmaskedInput,
        decided.UpdatedInput, decided.Verdict, decided.Hooks.IsDefault ? [] : decided.Hooks, received.ReceivedAt);

    /// <summary>The decision as replay judges it: the call's real input opened with <paramref name="cipher"/> (null subject when it cannot be).</summary>
    public RecordedDecision Open(InputCipher? cipher)
    {
        var call = MaskedSecrets == 0 ? Call
            : UnmaskedInput is { } sealedInput && cipher?.Open(CallId, sealedInput) is { } input ? Call with { Input = input }
            : null;
        // The verdict was given on the input a hook rewrote the call to (recorded masked, like the call).
        var subject = UpdatedInput is { } updated && call is not null ? call with { Input = updated } : call;
        return new RecordedDecision(CallId, Agent, Session, Call.ToolName, subject, Verdict, Hooks.IsDefault ? [] : Hooks, ReceivedAt);
    }
}
