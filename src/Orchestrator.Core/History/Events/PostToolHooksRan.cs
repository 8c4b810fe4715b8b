using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// The PostToolUse (after a successful run) or PostToolUseFailure (after a failed one) hooks of a call that ran: each
/// hook's recorded result (exit code, duration, output digest, <c>additionalContext</c>, a <c>decision: "block"</c> as a
/// deny with its reason), between <see cref="ExecutionFinished"/> and <see cref="CallCompleted"/>. <see cref="NotRun"/>
/// says why there are no results when the hooks did not answer (stage deadline, or the server restarted after the run
/// and before this event: post hooks run at most once). They never change the call's recorded outcome.
/// </summary>
[EventManifest("post-tool-hooks-ran.v1")]
public sealed record PostToolHooksRan(
    CallId CallId,
    string Event,
    ImmutableArray<HookResult> Hooks,
    string? NotRun,
    DateTimeOffset At) : CallEvent(CallId)
{
    /// <summary>What the hooks added for the agent, in hook order.</summary>
    public IEnumerable<string> AdditionalContext() =>
        (Hooks.IsDefault ? [] : Hooks).Select(h => h.AdditionalContext).OfType<string>();

    /// <summary>The reasons of the hooks that blocked (<c>decision: "block"</c>, <c>continue: false</c>, exit 2).</summary>
    public IEnumerable<string> Blocks() =>
        (Hooks.IsDefault ? [] : Hooks).Where(h => h.Decision == Decision.Deny).Select(h => h.Reason ?? $"hook '{h.Name}' blocked");
}
