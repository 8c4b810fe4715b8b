using System.Collections.Immutable;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Actors.Checking;

/// <summary>
/// A decide-only call judged without the journal (<c>POST /v1/check</c> with <c>"record": false</c>, the offline
/// <c>orchestrator check</c>): the same steps the session takes for a decide-only call — the policy (not sandboxed:
/// the caller runs the tool itself), the PreToolUse hooks, the policy again on the input a hook rewrote, the fold, a
/// grant for an ask — performed inline, nothing recorded. The stages come in as functions so the server uses its own
/// stage actors and the CLI the local policy and hook processes.
/// </summary>
public static class UnrecordedDecision
{
    /// <summary>The policy's verdict on a call judged for a caller that runs it itself.</summary>
    public delegate Task<Verdict> Evaluate(ToolCall call, CancellationToken cancellationToken);

    /// <summary>Runs the hooks that match the call (none: empty results).</summary>
    public delegate Task<HooksRan> RunHooks(ToolCall call, string permissionMode, CancellationToken cancellationToken);

    /// <summary>The grant that covers an asked call, or null.</summary>
    public delegate Task<GrantId?> FindGrant(ToolCall call, CancellationToken cancellationToken);

    public static async Task<CheckedCall> DecideAsync(ToolCall call, Evaluate evaluate, RunHooks? runHooks, FindGrant? findGrant,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var verdict = await evaluate(call, cancellationToken).ConfigureAwait(false);
        var judged = call;
        var hooks = ImmutableArray<HookResult>.Empty;
        var final = VerdictSummary.From(verdict);
        if (runHooks is not null)
        {
            var ran = await runHooks(call, verdict.Mode.AcceptEdits ? "acceptEdits" : "default", cancellationToken).ConfigureAwait(false);
            hooks = ran.Results.IsDefault ? [] : ran.Results;
            var folded = HookFold.Fold(final, hooks, ran.UpdatedInput);
            final = folded.Verdict;
            if (folded.UpdatedInput is { } updated)
            {
                // The policy judges what would run: the input the hook rewrote, folded with the same hook results.
                judged = call with { Input = updated };
                verdict = await evaluate(judged, cancellationToken).ConfigureAwait(false);
                final = HookFold.Fold(VerdictSummary.From(verdict), hooks);
            }
        }
        GrantId? grant = null;
        if (final.Decision == Decision.Ask && findGrant is not null)
            grant = await findGrant(judged, cancellationToken).ConfigureAwait(false);
        return new CheckedCall(judged, verdict, final, hooks, grant, judged == call ? null : judged.Input);
    }
}

/// <summary>
/// What <see cref="UnrecordedDecision"/> decided: <see cref="Verdict"/> is the final verdict (policy folded with the
/// hooks), <see cref="PolicyVerdict"/> the policy's own with every finding, <see cref="Call"/> the call as judged (the
/// hook-rewritten one when <see cref="UpdatedInput"/> is set).
/// </summary>
public sealed record CheckedCall(
    ToolCall Call,
    Verdict PolicyVerdict,
    VerdictSummary Verdict,
    ImmutableArray<HookResult> Hooks,
    GrantId? CoveredByGrant,
    ImmutableDictionary<string, string>? UpdatedInput);
