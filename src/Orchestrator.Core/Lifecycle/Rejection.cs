using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// Why an input was refused. For answers to a closed approval, <see cref="FirstAnswer"/> or <see cref="TimedOut"/> shows
/// the decision that stands.
/// </summary>
public sealed record Rejection(RejectionCode Code, string Message, ApprovalAnswered? FirstAnswer = null, ApprovalTimedOut? TimedOut = null);
