namespace Orchestrator.Core.History.Events;

/// <summary>
/// The automatic path in one journal write (DESIGN §2): the submission and its decision together. Applying it is the
/// same as applying <see cref="Received"/> then <see cref="Decided"/>.
/// </summary>
[EventManifest("call-received-and-decided.v1")]
public sealed record CallReceivedAndDecided(CallReceived Received, CallDecided Decided) : CallEvent(Received.CallId);
