using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Codex;

namespace Orchestrator.Core.Tests.Policy.Codex;

public class CodexPrefixRuleTests
{
    private static CodexPrefixRule Rule(params string[][] pattern) =>
        CodexPrefixRule.Create(pattern, CodexDecision.Allow, null, new SourceLocation("t.rules", 1, 1));

    [Fact]
    public void Pattern_matches_command_with_extra_trailing_arguments()
    {
        var rule = Rule(["git"], ["status"]);
        Assert.True(rule.Matches(["git", "status", "-s"]));
        Assert.True(rule.Matches(["git", "status"]));
    }

    [Fact]
    public void Pattern_does_not_match_shorter_command()
    {
        Assert.False(Rule(["git"], ["status"]).Matches(["git"]));
        Assert.False(Rule(["git"]).Matches([]));
    }

    [Fact]
    public void Tokens_must_be_equal_not_merely_prefixed()
    {
        var rule = Rule(["git"], ["status"]);
        Assert.False(rule.Matches(["git", "statuses"]));
        Assert.False(rule.Matches(["git", "Status"]));
        Assert.False(rule.Matches(["gitx", "status"]));
    }

    [Fact]
    public void Any_alternative_at_a_position_matches()
    {
        var rule = Rule(["git"], ["status", "log"], ["--oneline"]);
        Assert.True(rule.Matches(["git", "status", "--oneline"]));
        Assert.True(rule.Matches(["git", "log", "--oneline", "-5"]));
        Assert.False(rule.Matches(["git", "push", "--oneline"]));
        Assert.False(rule.Matches(["git", "log", "-5"]));
    }

    [Fact]
    public void Text_renders_pattern_and_decision()
    {
        var rule = CodexPrefixRule.Create([["git"], ["status", "log"]], CodexDecision.Prompt, "why", new SourceLocation("t.rules", 1, 1));
        Assert.Equal("prefix_rule(pattern=[\"git\", [\"status\", \"log\"]], decision=\"prompt\")", rule.Text);
        Assert.Equal(rule.Text, rule.ToString());
    }
}
