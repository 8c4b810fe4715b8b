using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// A submission was accepted. <see cref="Call"/> is already masked by <see cref="SecretMasker"/>;
/// <see cref="MaskedSecrets"/> says how many secrets were replaced (non-zero means the original input cannot be
/// rebuilt from the history alone). <see cref="UnmaskedInput"/> then holds the real input encrypted
/// (<see cref="Integrity.InputCipher"/>), so a call recovered after a restart runs what was submitted. The idempotency
/// key is the call id: a resubmission with the same id gets this call.
/// </summary>
[EventManifest("call-received.v1")]
public sealed record CallReceived(
    CallId CallId,
    AgentId Agent,
    SessionId Session,
    ToolCall Call,
    CallIntent Intent,
    int MaskedSecrets,
    string IdempotencyKey,
    DateTimeOffset ReceivedAt,
    string? UnmaskedInput = null) : CallEvent(CallId);
