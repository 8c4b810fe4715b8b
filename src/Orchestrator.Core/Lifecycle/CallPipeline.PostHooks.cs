using System.Collections.Immutable;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// PostToolUse / PostToolUseFailure hooks (DESIGN §4): after a run whose workspace has matching post hooks, the end of
/// the run (<see cref="ExecutionFinished"/>, its bounded output durable) is recorded first, then the hooks see the real
/// <c>tool_response</c>, then their results (<see cref="PostToolHooksRan"/>) and the completion are recorded together.
/// They never change the call's outcome; what they add (<c>additionalContext</c>, a block's reason) is returned with the
/// call. Post hooks run at most once: after a restart between the two writes they are recorded as not run, never
/// re-run, and the command is never run again.
/// </summary>
public sealed partial class CallPipeline
{
    public const string PostHooksNotRunOnRestart = "not run: the server restarted after the run and before the post hooks answered";

    private PipelineStep Finished(CallState state, CallWork work, CallInput.ExecutionFinished f)
    {
        var response = HookToolResponse.From(f.Result);
        var call = CallThatRuns(state, work);
        var matching = call is null ? [] : work.Hooks?.For(call, response.Event) ?? [];
        if (matching.Count == 0) return End(state, CallLifecycle.FinishExecution(state, f.Result, f.At));
        var finished = new ExecutionFinished(state.CallId, f.Result, f.At) { PostHooks = matching.Count };
        var after = CallLifecycle.Apply(state, finished) with { Work = work with { Awaiting = AwaitedStage.PostHooks } };
        var longest = matching.Max(h => h.Timeout) + Settings.StageTimeout;
        var mode = state.Decided?.Verdict is { } verdict ? PermissionMode(verdict) : "default";
        return new(after, [finished],
        [
            new CallEffect.RunHooks(call!, mode, work.Hooks!, response.Event, response),
            new CallEffect.StartStageTimer(longest, $"the {response.Event} hooks did not answer within {longest.TotalSeconds:0.#} s"),
        ]);
    }

    /// <summary>Records the post hooks' results (or why there are none) and completes the call with the outcome of its run.</summary>
    private static PipelineStep PostHooksEnded(CallState state, ImmutableArray<HookResult> results, string? notRun, DateTimeOffset now)
    {
        if (state.Status != CallStatus.Finished || state.PostHooks is not null) return PipelineStep.Unchanged(state);
        var ran = new PostToolHooksRan(state.CallId, HookToolResponse.From(state.Finished!.Result).Event.ToString(),
            results.IsDefault ? [] : results, notRun, now);
        var events = ImmutableArray.Create<CallEvent>(ran).AddRange(CallLifecycle.Completion(CallLifecycle.Apply(state, ran), now));
        return End(state, CallCommandResult.Accepted(events.Aggregate(state, CallLifecycle.Apply), events));
    }

    /// <summary>Recovery of a call whose run ended but whose post hooks never answered: recorded as not run, then completed.</summary>
    private static PipelineStep? PostHooksLostOnRestart(CallState state, DateTimeOffset now) =>
        state is { Status: CallStatus.Finished, PostHooks: null, Finished.PostHooks: > 0 }
            ? PostHooksEnded(state, [], PostHooksNotRunOnRestart, now)
            : null;
}
