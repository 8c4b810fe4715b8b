using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Hooks;

/// <summary>
/// Folds hook results into the policy verdict. Hooks can only make a verdict stricter: any hook deny wins, else any hook
/// ask raises allow to ask. A hook <em>allow</em> never lowers the policy's ask or deny — deliberately more conservative
/// than Claude Code, where a hook allow skips the permission prompt. A policy deny always stands as the policy said it;
/// a verdict the hooks do not make stricter is returned unchanged (the hook results are recorded next to it anyway).
/// The fold is pure, so replay folds the recorded results and never re-runs a hook.
/// </summary>
public static class HookFold
{
    public static VerdictSummary Fold(VerdictSummary policyVerdict, IReadOnlyList<HookResult> results)
    {
        var deciding = results.FirstOrDefault(r => IsPreToolUse(r) && r.Decision == Decision.Deny)
            ?? results.FirstOrDefault(r => IsPreToolUse(r) && r.Decision == Decision.Ask);
        if (deciding?.Decision is not { } hookDecision || hookDecision <= policyVerdict.Decision) return policyVerdict;

        var reason = deciding.Reason ?? $"hook '{deciding.Name}' {(hookDecision == Decision.Deny ? "denied" : "asks")}";
        var decision = hookDecision;
        if (decision == Decision.Ask && policyVerdict.Mode.Approval == ApprovalPolicy.Never)
        {
            decision = Decision.Deny;
            reason += " (approval policy 'never' turns ask into deny)";
        }
        return policyVerdict with
        {
            Decision = decision,
            ReasonClass = hookDecision == Decision.Deny ? ReasonClass.HookDeny : ReasonClass.HookAsk,
            Reason = reason,
            Rule = null,
        };
    }

    /// <summary>Folds the results and carries the hooks' <paramref name="updatedInput"/> unless the call is denied.</summary>
    public static HookFoldResult Fold(VerdictSummary policyVerdict, IReadOnlyList<HookResult> results,
        ImmutableDictionary<string, string>? updatedInput)
    {
        var verdict = Fold(policyVerdict, results);
        return new HookFoldResult(verdict, verdict.Decision == Decision.Deny ? null : updatedInput);
    }

    private static bool IsPreToolUse(HookResult result) => result.Event is null or nameof(HookEvent.PreToolUse);

    /// <summary>
    /// The PermissionRequest hooks' answer to an ask, in a person's place: any deny denies, else any allow allows. No
    /// answer (a failure records none) leaves the ask to a person; a verdict that is not an ask is never changed, so a
    /// deny rule is never overridden. Pure: replay folds the recorded results the same way.
    /// </summary>
    public static VerdictSummary FoldPermission(VerdictSummary verdict, IReadOnlyList<HookResult> results)
    {
        if (verdict.Decision != Decision.Ask) return verdict;
        var permission = results.Where(r => r.Event == nameof(HookEvent.PermissionRequest)).ToArray();
        if (permission.FirstOrDefault(r => r.Decision == Decision.Deny) is { } deny)
            return verdict with { Decision = Decision.Deny, ReasonClass = ReasonClass.HookDeny, Reason = deny.Reason ?? $"hook '{deny.Name}' denied", Rule = null };
        return permission.FirstOrDefault(r => r.Decision == Decision.Allow) is { } allow
            ? AllowedByPermissionHook(verdict, allow.Reason ?? $"hook '{allow.Name}' allowed")
            : verdict;
    }

    /// <summary>An ask allowed by a PermissionRequest hook in a person's place.</summary>
    public static VerdictSummary AllowedByPermissionHook(VerdictSummary ask, string reason) =>
        ask.Decision == Decision.Ask ? ask with { Decision = Decision.Allow, ReasonClass = ReasonClass.HookAllow, Reason = reason, Rule = null } : ask;

    /// <summary>The updated input of the last hook (in configuration order) that returned one.</summary>
    public static ImmutableDictionary<string, string>? LastUpdatedInput(IEnumerable<HookOutcome> outcomes) =>
        outcomes.LastOrDefault(o => o.UpdatedInput is not null)?.UpdatedInput;
}
