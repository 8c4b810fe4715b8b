using Orchestrator.Core.Policy.Rules;

namespace Orchestrator.Core.Policy.Evaluation;

/// <summary>Deny, then ask, then (optionally) allow: the first class whose rule matches adds its finding.</summary>
internal static class RuleFindings
{
    /// <param name="action">What the rule is about, e.g. "writing /x"; the finding reads "writing /x is denied".</param>
    /// <returns>The decision of the rule that matched, or null when none did.</returns>
    public static Decision? Apply(FindingCollector findings, string subject, string action,
        Func<RuleDecision, PermissionRule?> match, bool includeAllow = true)
    {
        if (match(RuleDecision.Deny) is { } deny)
        {
            findings.Add(Decision.Deny, ReasonClass.RuleDeny, $"{action} is denied", subject, deny);
            return Decision.Deny;
        }
        if (match(RuleDecision.Ask) is { } ask)
        {
            findings.Add(Decision.Ask, ReasonClass.RuleAsk, $"{action} needs approval", subject, ask);
            return Decision.Ask;
        }
        if (includeAllow && match(RuleDecision.Allow) is { } allow)
        {
            findings.Add(Decision.Allow, ReasonClass.RuleAllow, $"{action} is allowed", subject, allow);
            return Decision.Allow;
        }
        return null;
    }
}
