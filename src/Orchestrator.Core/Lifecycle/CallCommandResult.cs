using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>What a decider answers: the events to persist and the state after them, or why nothing happens.</summary>
public sealed record CallCommandResult(CallCommandOutcome Outcome, CallState State, ImmutableArray<CallEvent> Events, Rejection? Rejection)
{
    public bool IsAccepted => Outcome == CallCommandOutcome.Accepted;

    public static CallCommandResult Accepted(CallState state, ImmutableArray<CallEvent> events) =>
        new(CallCommandOutcome.Accepted, state, events, null);

    public static CallCommandResult Rejected(CallState state, Rejection rejection) =>
        new(CallCommandOutcome.Rejected, state, [], rejection);

    public static CallCommandResult Rejected(CallState state, RejectionCode code, string message) =>
        Rejected(state, new Rejection(code, message));

    public static CallCommandResult AlreadyExists(CallState state) =>
        new(CallCommandOutcome.AlreadyExists, state, [], null);
}
