using System.Collections.Immutable;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// One step of <see cref="CallPipeline.Next"/>: persist <see cref="Events"/> (in order, as one write; with
/// <see cref="PersistBeforeEffects"/> nothing else may happen until they are written, because a side effect such as a
/// spawned process follows), then perform <see cref="Effects"/> in order. <see cref="State"/> is the call after the
/// events. A <see cref="Rejection"/> refuses bad external input (e.g. a duplicate approval answer): nothing changes.
/// </summary>
public sealed record PipelineStep(
    CallState State,
    ImmutableArray<CallEvent> Events,
    ImmutableArray<CallEffect> Effects,
    bool PersistBeforeEffects = false,
    Rejection? Rejection = null)
{
    public bool IsRejected => Rejection is not null;

    public static PipelineStep Unchanged(CallState state) => new(state, [], []);

    public static PipelineStep Rejected(CallState state, Rejection rejection) => new(state, [], [], false, rejection);
}
