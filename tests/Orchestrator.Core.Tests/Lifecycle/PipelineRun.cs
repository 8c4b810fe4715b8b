using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Core.Tests.Lifecycle;

/// <summary>Drives one call through a <see cref="CallPipeline"/> as the session would: every step's events are "persisted" (kept in order).</summary>
internal sealed class PipelineRun(CallPipeline pipeline, CallState state)
{
    public CallPipeline Pipeline { get; } = pipeline;
    public CallState State { get; private set; } = state;
    public List<CallEvent> History { get; } = [];
    public PipelineStep Last { get; private set; } = PipelineStep.Unchanged(state);

    public PipelineRun(PipelineSettings settings) : this(new CallPipeline(settings), CallState.New(CallFixtures.Id)) { }

    public PipelineStep Feed(CallInput input)
    {
        Last = Pipeline.Next(State, input);
        History.AddRange(Last.Events);
        State = Last.State;
        return Last;
    }

    /// <summary>The process restarts: the state is folded from the history alone, then recovery runs.</summary>
    public PipelineStep Restart(CallInput.Recovered recovered)
    {
        State = CallLifecycle.Replay(State.CallId, History);
        return Feed(recovered);
    }

    public T Effect<T>() where T : CallEffect => Assert.Single(Last.Effects.OfType<T>());

    public ImmutableArray<CallEffect> Effects => Last.Effects;
}
