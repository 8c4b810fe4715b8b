using Orchestrator.Core.Approval;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Lifecycle;

/// <summary>
/// PermissionRequest hooks (DESIGN §4, §5): they stand where a person would. Order: policy, PreToolUse hooks, the grant
/// lookup (a grant is a person's earlier yes), then — only when an approval would be raised — the workspace's
/// PermissionRequest hooks, then the approval. A hook deny denies; an allow decides allow in the person's place; an
/// allow with <c>updatedInput</c> has the rewrite judged by the policy again (a rewrite the policy denies is denied).
/// They run only for an ask, so a deny rule is never overridden. No answer (no hook matched, a malformed answer, a
/// failure, a timeout) raises the approval as before: failure goes towards asking a person, never towards allow.
/// Their results are recorded with the decision beside the PreToolUse hooks', so replay never runs them again.
/// </summary>
public sealed partial class CallPipeline
{
    private PipelineStep Granted(CallState state, CallWork work, CallInput.GrantAnswered g)
    {
        var verdict = work.Verdict!;
        var call = DecisionSubject(state, work);
        var wouldRaise = g.Grant is null && verdict.Decision == Decision.Ask && !work.PermissionHooksRan
            && (Settings.Approver is not null || History.Events.CallIntents.RaisesApprovals(work.Intent));
        var matching = wouldRaise ? work.Hooks?.For(call.ToolName, HookEvent.PermissionRequest) ?? [] : [];
        if (matching.Count == 0) return Decide(state, work, verdict, g.Grant, g.FreshApprovalId, g.At);
        var waiting = work with { Awaiting = AwaitedStage.PermissionHooks, PermissionHooksRan = true, FreshApprovalId = g.FreshApprovalId };
        return AwaitHooks(state, waiting, new CallEffect.RunHooks(call, PermissionMode(verdict), work.Hooks!, HookEvent.PermissionRequest), matching, g.At);
    }

    private PipelineStep PermissionAnswered(CallState state, CallWork work, CallInput.HooksAnswered h)
    {
        var results = h.Results.IsDefault ? [] : h.Results;
        var verdict = work.Verdict!;
        work = work with { Awaiting = AwaitedStage.None, HookResults = (work.HookResults.IsDefault ? [] : work.HookResults).AddRange(results) };
        var answer = HookFold.FoldPermission(verdict, results);
        if (answer.Decision == Decision.Allow && h.UpdatedInput is { } rewrite)
        {
            var updated = Calls.McpTools.KeepReserved(DecisionSubject(state, work).Input, rewrite);
            var rewritten = DecisionSubject(state, work) with { Input = updated };
            return AskPolicy(state, work with { PermissionAllowReason = answer.Reason, UpdatedInput = updated, Runnable = rewritten }, rewritten);
        }
        return answer.Decision == Decision.Ask
            ? Decide(state, work, verdict, null, work.FreshApprovalId, h.At)
            : Decide(state, work, answer, null, null, h.At);
    }

    /// <summary>The PermissionRequest hooks did not answer in time: a person is asked, as without them.</summary>
    private PipelineStep PermissionUnanswered(CallState state, CallWork work, DateTimeOffset now) =>
        Decide(state, work with { Awaiting = AwaitedStage.None, HookResults = work.HookResults.IsDefault ? [] : work.HookResults },
            work.Verdict!, null, work.FreshApprovalId, now);
}
