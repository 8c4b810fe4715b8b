using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Hooks;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.Tests.Hooks;

public class HookFoldTests
{
    private static readonly MatchedRule Rule = new(RuleDecision.Ask, "Bash(git push:*)", SettingsLayer.Project, "s.json", 3, 5);

    private static VerdictSummary Policy(Decision decision, ApprovalPolicy approval = ApprovalPolicy.OnRequest) => new(
        decision,
        decision switch { Decision.Allow => ReasonClass.RuleAllow, Decision.Ask => ReasonClass.RuleAsk, _ => ReasonClass.RuleDeny },
        "policy reason", Rule, "classifier",
        new RecordedMode(SandboxMode.WorkspaceWrite, approval, NetworkAccess.Off, false, true), "v1");

    private static HookResult Hook(string name, Decision? decision) =>
        new(name, $"./{name}.sh", 0, decision, decision is null ? null : $"hook '{name}' says {decision}", TimeSpan.FromMilliseconds(3), "d");

    // policy, hook decisions (null = no objection) → final decision, reason class (null = the policy verdict unchanged)
    public static TheoryData<Decision, Decision?[], Decision, ReasonClass?> Table => new()
    {
        { Decision.Allow, [], Decision.Allow, null },
        { Decision.Allow, [null], Decision.Allow, null },
        { Decision.Allow, [Decision.Allow], Decision.Allow, null },
        { Decision.Allow, [Decision.Ask], Decision.Ask, ReasonClass.HookAsk },
        { Decision.Allow, [Decision.Deny], Decision.Deny, ReasonClass.HookDeny },
        { Decision.Allow, [Decision.Ask, Decision.Deny, Decision.Allow], Decision.Deny, ReasonClass.HookDeny },
        { Decision.Ask, [], Decision.Ask, null },
        { Decision.Ask, [Decision.Allow], Decision.Ask, null },
        { Decision.Ask, [Decision.Ask], Decision.Ask, null },
        { Decision.Ask, [Decision.Allow, Decision.Deny], Decision.Deny, ReasonClass.HookDeny },
        { Decision.Deny, [Decision.Allow], Decision.Deny, null },
        { Decision.Deny, [Decision.Ask], Decision.Deny, null },
        { Decision.Deny, [Decision.Deny], Decision.Deny, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Hooks_only_ever_make_the_policy_verdict_stricter(Decision policy, Decision?[] hooks, Decision expected, ReasonClass? reasonClass)
    {
        var verdict = Policy(policy);

        var folded = HookFold.Fold(verdict, hooks.Select((d, i) => Hook($"h{i}", d)).ToArray());

        Assert.Equal(expected, folded.Decision);
        if (reasonClass is null) Assert.Same(verdict, folded);
        else
        {
            Assert.Equal(reasonClass, folded.ReasonClass);
            Assert.Null(folded.Rule);
            Assert.Equal(verdict.Mode, folded.Mode);
            Assert.Equal(verdict.PolicyVersion, folded.PolicyVersion);
        }
    }

    [Fact]
    public void The_first_denying_hook_gives_the_reason_even_after_an_ask()
    {
        var folded = HookFold.Fold(Policy(Decision.Allow), [Hook("a", Decision.Ask), Hook("b", Decision.Deny), Hook("c", Decision.Deny)]);

        Assert.Equal("hook 'b' says Deny", folded.Reason);
    }

    [Fact]
    public void A_hook_ask_under_approval_never_becomes_deny()
    {
        var folded = HookFold.Fold(Policy(Decision.Allow, ApprovalPolicy.Never), [Hook("a", Decision.Ask)]);

        Assert.Equal(Decision.Deny, folded.Decision);
        Assert.Equal(ReasonClass.HookAsk, folded.ReasonClass);
        Assert.Equal("hook 'a' says Ask (approval policy 'never' turns ask into deny)", folded.Reason);
    }

    [Fact]
    public void Updated_input_is_carried_unless_the_call_is_denied()
    {
        var rewritten = ImmutableDictionary<string, string>.Empty.Add("command", "ls");

        Assert.Same(rewritten, HookFold.Fold(Policy(Decision.Allow), [Hook("a", Decision.Allow)], rewritten).UpdatedInput);
        Assert.Null(HookFold.Fold(Policy(Decision.Allow), [Hook("a", Decision.Deny)], rewritten).UpdatedInput);
        Assert.Null(HookFold.Fold(Policy(Decision.Deny), [Hook("a", Decision.Allow)], rewritten).UpdatedInput);
    }

    [Fact]
    public void The_last_hook_with_updated_input_wins()
    {
        var first = ImmutableDictionary<string, string>.Empty.Add("command", "one");
        var last = ImmutableDictionary<string, string>.Empty.Add("command", "two");
        HookOutcome Outcome(ImmutableDictionary<string, string>? input) => new(Hook("x", null), input, false);

        Assert.Same(last, HookFold.LastUpdatedInput([Outcome(first), Outcome(last), Outcome(null)]));
        Assert.Null(HookFold.LastUpdatedInput([Outcome(null)]));
    }

    [Fact]
    public void Reason_classes_have_kebab_case_names()
    {
        Assert.Equal("hook-deny", ReasonClass.HookDeny.Name());
        Assert.Equal(ReasonClass.HookAsk, ReasonClassNames.Parse("hook-ask"));
    }
}
