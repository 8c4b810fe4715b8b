using System.Collections.Immutable;
using Orchestrator.Actors.Hooks;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Actors.Checking;

/// <summary>
/// A decide-only call judged without the journal (<c>POST /v1/check</c> with <c>"record": false</c>, the offline
/// <c>orchestrator check</c>): the same <see cref="CallPipeline"/> the session drives, with its effects performed
/// inline — the workspace policy's evaluator, the PreToolUse hooks run here (<see cref="InlineHookRunner"/>), the
/// grant lookup when there is a broker to ask — and its events dropped instead of persisted.
/// </summary>
public static class UnrecordedDecision
{
    /// <summary>The grant that covers an asked call, or null.</summary>
    public delegate Task<GrantId?> FindGrant(ToolCall call, CancellationToken cancellationToken);

    /// <exception cref="InvalidOperationException">The pipeline refused the call or decided nothing (the reason is the message).</exception>
    public static async Task<CheckedCall> DecideAsync(ToolCall call, WorkspacePolicy policy, FindGrant? findGrant,
        CancellationToken cancellationToken, IHookProcessRunner? hookRunner = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(policy);
        var now = (clock ?? TimeProvider.System).GetUtcNow;
        var pipeline = new CallPipeline(PipelineSettings.DecideOnly);
        var hooks = new InlineHookRunner(hookRunner);
        var judged = call;
        Verdict? policyVerdict = null;
        var step = pipeline.Next(CallState.New(call.Id), new CallInput.Submitted(call, CallIntent.DecideOnly, now()));
        while (true)
        {
            if (step.Rejection is { } rejection) throw new InvalidOperationException(rejection.Message);
            CallInput? answer = null;
            foreach (var effect in step.Effects)
            {
                switch (effect)
                {
                    case CallEffect.RefuseSubmission refused:
                        throw new InvalidOperationException(refused.Reason);
                    case CallEffect.EvaluatePolicy evaluate:
                        judged = evaluate.Call;
                        policyVerdict = policy.Evaluator.Evaluate(evaluate.Call, evaluate.Sandboxed);
                        answer = new CallInput.PolicyAnswered(VerdictSummary.From(policyVerdict), now()) { Policy = policy, Hooks = policy.Hooks };
                        break;
                    case CallEffect.RunHooks run:
                        var ran = await hooks.RunAsync(run.Hooks, run.Call, run.PermissionMode, cancellationToken).ConfigureAwait(false);
                        answer = new CallInput.HooksAnswered(ran.Results, ran.UpdatedInput, now());
                        break;
                    case CallEffect.FindGrant find:
                        var grant = findGrant is null ? null : await findGrant(find.Call, cancellationToken).ConfigureAwait(false);
                        answer = new CallInput.GrantAnswered(grant, new ApprovalId(Guid.NewGuid().ToString("n")), now());
                        break;
                    // Timers, acknowledgements and watchers have no one to serve here: every effect above is awaited inline.
                }
            }
            if (answer is null) break;
            step = pipeline.Next(step.State, answer);
        }
        if (step.State.Decided is not { } decided || policyVerdict is null)
            throw new InvalidOperationException($"the pipeline decided nothing for call {call.Id}");
        return new CheckedCall(judged, policyVerdict, decided.Verdict, decided.Hooks, decided.CoveredByGrant,
            ReferenceEquals(judged, call) ? null : judged.Input);
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
