using System.Collections.Immutable;
using Akka.Actor;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Pipeline;

// The protocol between a session (which alone persists) and the driver child of one in-flight call.

/// <summary>Driver → session: persist these events of the call. <paramref name="BeforeSideEffect"/> uses Persist (not async): nothing else runs until they are written.</summary>
internal sealed record PersistCallEvents(CallId CallId, ImmutableArray<CallEvent> Events, bool BeforeSideEffect);

/// <summary>Session → driver: the events are in the journal; the call is now <paramref name="State"/>.</summary>
internal sealed record CallEventsPersisted(CallState State);

/// <summary>Session → driver: the events were not written (they do not follow the call's state, or the journal refused them).</summary>
internal sealed record CallEventsNotPersisted(string Reason);

/// <summary>Driver → session: the call could not be recorded at all (nothing persisted); its submitter is told why.</summary>
internal sealed record CallAbandoned(CallId CallId, string Reason);

/// <summary>Driver → session: a hook rewrote the call's input; an approved call must run this, not what was submitted.</summary>
internal sealed record CallInputRewritten(SubmitCall Submission);

/// <summary>Driver → session: keep this output for readers of the call.</summary>
internal sealed record CallOutputCaptured(CallId CallId, CallOutput Output);

/// <summary>Driver → session: done with the call (it is terminal or waits for an operator); the driver stops next.</summary>
internal sealed record CallDriverFinished(CallId CallId);

/// <summary>Driver → session, just before the exception propagates: the driver failed on this call.</summary>
internal sealed record CallDriverCrashed(CallId CallId, string Reason);

/// <summary>Where a driver begins.</summary>
internal enum DriverStart
{
    /// <summary>Decide a new submission, or re-run the decision of a received call after recovery.</summary>
    Decide,
    /// <summary>Run a call that may execute (allowed, or approved) and has not started.</summary>
    Execute,
}

/// <summary>What a driver is created with.</summary>
internal sealed record CallDriverStart(DriverStart Start, CallState State, SubmitCall? Submission, IActorRef Session);
